from junheng.cli import main

main()
