// The Matching module.
