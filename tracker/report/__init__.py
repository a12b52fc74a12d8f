"""The council's quarterly report: layout (the fixed form), export, reader (a filled-in file, safely), reimport."""
