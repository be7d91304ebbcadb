from vnnews.cli import main

main()
