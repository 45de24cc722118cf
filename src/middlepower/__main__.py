from middlepower.cli import main

main()
