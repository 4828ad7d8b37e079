"""API: the `councilpapers` command line, the HTTP API and the web app, thin layers over the library."""
