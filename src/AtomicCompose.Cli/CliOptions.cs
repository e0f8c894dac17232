namespace AtomicCompose.Cli;

/// <summary>Flags (<c>--name value</c>, <c>--switch</c>) and positional arguments of a command.</summary>
internal sealed class CliOptions
{
    private static readonly HashSet<string> Switches = ["--keep", "--verbose"];
    private readonly Dictionary<string, string?> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public static CliOptions Parse(string[] args)
    {
        var options = new CliOptions();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                options._positional.Add(args[i]);
            }
            else if (Switches.Contains(args[i]) || i + 1 >= args.Length)
            {
                options._flags[args[i]] = null;
            }
            else
            {
                options._flags[args[i]] = args[++i];
            }
        }

        return options;
    }

    public bool Has(string flag) => _flags.ContainsKey(flag);

    public string? Value(string flag) => _flags.GetValueOrDefault(flag);

    public string? Positional(int index) => index < _positional.Count ? _positional[index] : null;
}
