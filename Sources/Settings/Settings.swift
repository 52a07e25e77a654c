// The Settings module.
