// Placeholder: this module's sources are being written.
