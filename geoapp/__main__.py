from geoapp.cli import main

main()
