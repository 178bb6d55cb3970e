from pi87_field.cli import main

main()
