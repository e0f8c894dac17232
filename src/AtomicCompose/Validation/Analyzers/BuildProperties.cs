using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>
/// The MSBuild properties a build hands to analyzers as <c>build_property.*</c> options: the SDK writes them into a
/// global config in <c>obj/</c> (<c>&lt;project&gt;.GeneratedMSBuildEditorConfig.editorconfig</c>) for every
/// <c>CompilerVisibleProperty</c> item. They are computed here from the project file, so they need no build and
/// follow the project as it is edited. CA1416, for one, learns the platforms a project runs on from
/// <c>_SupportedPlatformList</c> and reports nothing without it.
/// </summary>
internal static partial class BuildProperties
{
    // The SDK's own CompilerVisibleProperty items, in the order its targets declare them.
    private static readonly string[] SdkVisible =
    [
        "TargetFramework", "TargetFrameworkIdentifier", "TargetFrameworkVersion", "TargetPlatformMinVersion", "UsingMicrosoftNETSdkWeb",
        "ProjectTypeGuids", "InvariantGlobalization", "PlatformNeutralAssembly", "EnforceExtendedAnalyzerRules", "_SupportedPlatformList",
        "RootNamespace", "ProjectDir", "EnableComHosting", "EnableGeneratedComInterfaceComImportInterop", "EffectiveAnalysisLevelStyle",
        "EnableCodeStyleSeverity", "EntryPointFilePath",
    ];

    /// <summary>The global config a build of the project would give its analyzers.</summary>
    /// <param name="projectFullPath">The project file.</param>
    /// <param name="properties">The project's properties as read (Directory.Build.props, then the project).</param>
    /// <param name="visible">The project's own <c>CompilerVisibleProperty</c> items.</param>
    /// <param name="supportedPlatforms">The <c>SupportedPlatform</c> items the project adds and removes.</param>
    /// <param name="usesWebSdk">Whether the project uses <c>Microsoft.NET.Sdk.Web</c>.</param>
    public static AnalyzerConfig For(
        string projectFullPath, IReadOnlyDictionary<string, string> properties, IEnumerable<string> visible, (IReadOnlyList<string> Added, IReadOnlyList<string> Removed) supportedPlatforms, bool usesWebSdk)
    {
        var values = Computed(projectFullPath, properties, supportedPlatforms, usesWebSdk);
        var text = new StringBuilder("is_global = true\n");
        foreach (var name in SdkVisible.Concat(visible).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var value = values.GetValueOrDefault(name) ?? properties.GetValueOrDefault(name) ?? "";
            text.Append("build_property.").Append(name).Append(" = ").Append(value.ReplaceLineEndings(" ")).Append('\n');
        }

        var directory = Path.GetDirectoryName(projectFullPath)!;
        var path = Path.Combine(directory, "obj", Path.GetFileNameWithoutExtension(projectFullPath) + ".GeneratedMSBuildEditorConfig.editorconfig");
        return AnalyzerConfig.Parse(text.ToString(), path);
    }

    /// <summary>The properties the SDK computes when the project does not set them.</summary>
    private static Dictionary<string, string> Computed(
        string projectFullPath, IReadOnlyDictionary<string, string> properties, (IReadOnlyList<string> Added, IReadOnlyList<string> Removed) supportedPlatforms, bool usesWebSdk)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var framework = TargetFramework.Of(properties);
        result["TargetFramework"] = TargetFramework.MonikerOf(properties) ?? "";
        result["TargetFrameworkIdentifier"] = framework?.Identifier ?? "";
        result["TargetFrameworkVersion"] = framework?.VersionText ?? "";
        result["ProjectDir"] = Path.GetDirectoryName(projectFullPath) + Path.DirectorySeparatorChar;
        result["RootNamespace"] = properties.GetValueOrDefault("RootNamespace") is { Length: > 0 } ns ? ns : Path.GetFileNameWithoutExtension(projectFullPath).Replace(' ', '_');
        result["UsingMicrosoftNETSdkWeb"] = usesWebSdk ? "true" : "";
        result["_SupportedPlatformList"] = string.Join(",", SupportedPlatforms(framework, supportedPlatforms));
        if (framework?.Identifier == TargetFramework.NetCoreApp)
        {
            // The analysis level the code-style rules use: the project's, else the target framework's.
            // The SDK writes a given level as it is (AnalysisLevel 8 gives "8"), the framework's as "10.0".
            var level = (properties.GetValueOrDefault("AnalysisLevelStyle") ?? properties.GetValueOrDefault("AnalysisLevel"))?.Split('-')[0].Trim();
            result["EffectiveAnalysisLevelStyle"] = level is { Length: > 0 } && double.TryParse(level, CultureInfo.InvariantCulture, out _) ? level : framework.Version.ToString(2);
        }

        return result;
    }

    // The SDK's default SupportedPlatform items: the platform of a platform-specific framework, else (for .NET 5 and
    // later) Linux, macOS and Windows; then the project's own items.
    private static List<string> SupportedPlatforms(TargetFramework? framework, (IReadOnlyList<string> Added, IReadOnlyList<string> Removed) items)
    {
        var list = new List<string>();
        if (framework?.PlatformIdentifier is { } platform)
        {
            list.Add(platform);
        }
        else if (framework is { IsNet5OrLater: true })
        {
            list.AddRange(["Linux", "macOS", "Windows"]);
        }

        list.AddRange(items.Added);
        return [.. list.Where(p => !items.Removed.Contains(p, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}
