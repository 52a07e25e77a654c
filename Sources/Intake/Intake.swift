// The Intake module.
