package config

// VarArg is one -var or -var-file argument, in command-line order.
type VarArg struct {
	// File is true for -var-file=PATH, false for -var NAME=VALUE.
	File  bool
	Value string
}

// LoadOptions are the inputs of Load besides the directory.
type LoadOptions struct {
	// Vars are the -var and -var-file arguments in command-line order; later
	// ones win.
	Vars []VarArg
	// Environ is the process environment (os.Environ()), read for
	// DWCTL_VAR_<name> and by the env() function. Nil means none.
	Environ []string
}
