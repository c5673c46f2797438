from tiplens.cli.main import main

main()
