using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>
/// The .NET SDK's own code analyzers (<c>Microsoft.CodeAnalysis.NetAnalyzers</c>, the CA rules), which a build adds
/// from the SDK's install folder for projects targeting .NET 5 or later, with the analysis-level global config the
/// SDK picks from <c>AnalysisLevel</c>, <c>AnalysisMode</c> and <c>CodeAnalysisTreatWarningsAsErrors</c>; and its
/// code-style analyzers (the IDE rules) when the project sets <c>EnforceCodeStyleInBuild</c>. Found next to
/// the running .NET (the newest SDK there, as <c>dotnet build</c> without a <c>global.json</c> picks); on a machine
/// with a runtime but no SDK there are none, as there would be no build.
/// </summary>
internal static partial class SdkAnalyzers
{
    private static readonly Lazy<string?> LazyFolder = new(FindFolder, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The SDK's <c>Sdks/Microsoft.NET.Sdk/analyzers</c> folder, or null when no SDK is installed.</summary>
    public static string? Folder => LazyFolder.Value;

    /// <summary>The analyzer assemblies and the global configs a build of a project with these properties would use.</summary>
    public static (ImmutableArray<string> Assemblies, ImmutableArray<string> GlobalConfigs) For(IReadOnlyDictionary<string, string> properties, string? folder)
    {
        if (folder is null)
        {
            return ([], []);
        }

        var assemblies = ImmutableArray.CreateBuilder<string>();
        var configs = ImmutableArray.CreateBuilder<string>();
        if (ParseLevel(properties, folder) is { } level)
        {
            assemblies.AddRange(Existing(folder, "Microsoft.CodeAnalysis.NetAnalyzers.dll", "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll"));
            var mode = level.Mode ?? ModeName(properties.GetValueOrDefault("AnalysisMode"));
            var warnAsError = IsTrue(properties.GetValueOrDefault("CodeAnalysisTreatWarningsAsErrors")) ? "_warnaserror" : "";
            configs.AddRange(Existing(Path.Combine(folder, "build", "config"), $"analysislevel_{level.Version}_{mode}{warnAsError}.globalconfig".ToLowerInvariant()));
        }

        // The code-style (IDE) rules run in a build only when the project asks for it.
        if (IsTrue(properties.GetValueOrDefault("EnforceCodeStyleInBuild")))
        {
            var codeStyle = Path.Combine(folder, "..", "codestyle", "cs");
            assemblies.AddRange(Existing(codeStyle, "Microsoft.CodeAnalysis.CodeStyle.dll", "Microsoft.CodeAnalysis.CSharp.CodeStyle.dll"));
            configs.AddRange(CodeStyleConfig(properties, folder));
        }

        return (assemblies.ToImmutable(), configs.ToImmutable());
    }

    /// <summary>
    /// The code-style rules' own analysis-mode config (<c>analysislevelstyle_recommended.globalconfig</c>), which the
    /// SDK's code-style targets add only when the project gives the style rules a level or mode of their own
    /// (<c>AnalysisModeStyle</c>, <c>AnalysisLevelStyle</c>), or from style level 11.
    /// </summary>
    private static IEnumerable<string> CodeStyleConfig(IReadOnlyDictionary<string, string> properties, string folder)
    {
        var level = properties.GetValueOrDefault("AnalysisLevel") ?? "";
        var mode = properties.GetValueOrDefault("AnalysisMode") ?? "";
        var levelStyle = properties.GetValueOrDefault("AnalysisLevelStyle") is { Length: > 0 } ls ? ls : level;
        var modeStyle = properties.GetValueOrDefault("AnalysisModeStyle") is { Length: > 0 } ms ? ms : mode;
        var (prefix, suffix) = SplitLevel(levelStyle);
        var effective = prefix.ToLowerInvariant() switch
        {
            "latest" => LatestLevel(folder),
            "preview" => LatestLevel(folder) + 1,
            _ => double.TryParse(prefix, System.Globalization.CultureInfo.InvariantCulture, out var numeric) ? numeric : 0,
        };

        // MSBuild compares strings without regard to case.
        if (string.Equals(levelStyle, level, StringComparison.OrdinalIgnoreCase) && string.Equals(modeStyle, mode, StringComparison.OrdinalIgnoreCase) && effective < 11)
        {
            return [];
        }

        return Existing(Path.Combine(folder, "..", "codestyle", "cs", "build", "config"), $"analysislevelstyle_{ModeName(modeStyle.Length > 0 ? modeStyle : suffix)}.globalconfig".ToLowerInvariant());
    }

    // A compound level as the SDK splits it at the first '-': "latest-recommended" -> ("latest", "recommended").
    private static (string Prefix, string Suffix) SplitLevel(string level) =>
        level.IndexOf('-', StringComparison.Ordinal) is var dash and >= 0 ? (level[..dash], level[(dash + 1)..]) : (level, "");

    // The config file's mode: AllEnabledByDefault and AllDisabledByDefault are the older names of All and None.
        private static string ModeName(string? mode) => mode?.Trim().ToLowerInvariant() switch
    {
        null or "" => "Default",
        "allenabledbydefault" => "All",
        "alldisabledbydefault" => "None",
        var m => m,
    };

    private static IEnumerable<string> Existing(string folder, params string[] names) =>
        names.Select(name => Path.GetFullPath(Path.Combine(folder, name))).Where(File.Exists);

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The effective analysis level (major version, trailing <c>.0</c> trimmed) and the mode a compound level names
    /// (<c>latest-recommended</c>), or null when the SDK would not add its analyzers.
    /// </summary>
    private static (string Version, string? Mode)? ParseLevel(IReadOnlyDictionary<string, string> properties, string folder)
    {
        if (string.Equals(properties.GetValueOrDefault("EnableNETAnalyzers"), "false", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // The SDK's default level is the framework's version, for .NET 5 and later with or without a platform (net8.0-windows).
        var targetVersion = TargetFramework.Of(properties) is { IsNet5OrLater: true } framework ? framework.Version.ToString(2) : null;
        var analysisLevel = properties.GetValueOrDefault("AnalysisLevel");
        var (given, suffix) = SplitLevel(analysisLevel?.Trim().ToLowerInvariant() ?? "");
        var level = string.IsNullOrEmpty(analysisLevel) ? targetVersion : given;
        level = level switch
        {
            "latest" => LatestLevel(folder).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "preview" => (LatestLevel(folder) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "none" => null,
            _ => level,
        };

        // The SDK enables its analyzers from level 5 on (explicit EnableNETAnalyzers=true aside, which has no config for older levels).
        if (level is null || !double.TryParse(level, System.Globalization.CultureInfo.InvariantCulture, out var numeric) || numeric < 5)
        {
            return null;
        }

        return (TrimZeros().Replace(level, ""), suffix.Length == 0 ? null : ModeName(suffix));
    }

    /// <summary>The newest analysis level the installed analyzers have configs for (the SDK's "latest").</summary>
    private static int LatestLevel(string folder) =>
        Directory.Exists(Path.Combine(folder, "build", "config"))
            ? Directory.EnumerateFiles(Path.Combine(folder, "build", "config"), "analysislevel_*_default.globalconfig")
                .Select(f => LevelOfConfig().Match(Path.GetFileName(f)))
                .Where(m => m.Success)
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                .DefaultIfEmpty(10)
                .Max()
            : 10;

    // <dotnet>/sdk/<version>/Sdks/Microsoft.NET.Sdk/analyzers of the newest SDK that has them, as `dotnet build` without a global.json picks.
    private static string? FindFolder() =>
        DotnetInstall.Roots
            .SelectMany(root => DotnetInstall.Versions(Path.Combine(root, "sdk")))
            .Select(sdk => Path.Combine(sdk.Path, "Sdks", "Microsoft.NET.Sdk", "analyzers"))
            .FirstOrDefault(folder => File.Exists(Path.Combine(folder, "Microsoft.CodeAnalysis.NetAnalyzers.dll")));

    [GeneratedRegex(@"(\.0)+$")]
    private static partial Regex TrimZeros();

    [GeneratedRegex(@"^analysislevel_(\d+)_default\.globalconfig$")]
    private static partial Regex LevelOfConfig();
}
