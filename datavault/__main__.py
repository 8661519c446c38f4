from datavault.cli import main

main()
