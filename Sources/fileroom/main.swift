import FileroomCommands

// The executable is only this line: every command lives in FileroomCommands, where tests call it too.
await Fileroom.runAsMain()
