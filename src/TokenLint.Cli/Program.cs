using System.CommandLine;
using TokenLint.Cli;

return TokenLintCommand.Create().Parse(args).Invoke();
