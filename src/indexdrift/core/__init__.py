"""What every stage uses: errors, input limits, atomic writes, input files, interrupts, i18n,
the garbage-collector pause of the readers."""
