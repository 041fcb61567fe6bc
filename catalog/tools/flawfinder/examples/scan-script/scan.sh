#!/bin/sh
# The project's scan script: the wrapped command line never names the scanner.
flawfinder --sarif src/ > flawfinder.sarif
