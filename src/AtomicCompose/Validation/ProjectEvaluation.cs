using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AtomicCompose.Validation;

/// <summary>
/// A project's properties as MSBuild's first pass gives them, read in evaluation order: Directory.Build.props, the
/// project, then Directory.Build.targets, each <c>&lt;Import&gt;</c> read where it stands; each group and property whose condition holds
/// (<see cref="MsBuildCondition"/>) sees the values defined before it. The build's own defaults come first: Debug,
/// AnyCPU, the operating system. Only files inside the workspace are imported (the SDK's own props are not read:
/// <see cref="ProjectLoader"/> applies the SDK's defaults where they change a verdict).
/// </summary>
internal sealed partial class ProjectEvaluation
{
    /// <summary>
    /// Reads the nearest Directory.Build.props (if any), the project and the files they import: as the outer build
    /// evaluates the project, and for a multi-targeting one as the inner build of its first framework, where TargetFramework is a global property (conditions on it hold,
    /// assignments to it do not).
    /// </summary>
    public static ProjectEvaluation Of(string root, string projectFull)
    {
        var outer = new ProjectEvaluation(root, projectFull, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
        return string.IsNullOrWhiteSpace(outer.Properties.GetValueOrDefault("TargetFramework")) && TargetFramework.MonikerOf(outer.Properties) is { } first
            ? new ProjectEvaluation(root, projectFull, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["TargetFramework"] = first })
            : outer;
    }

    private readonly string _root;
    private readonly Dictionary<string, string> _globals;

    private ProjectEvaluation(string root, string projectFull, Dictionary<string, string> globals)
    {
        _root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        _globals = globals;
        Properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["MSBuildProjectName"] = Path.GetFileNameWithoutExtension(projectFull),
            ["MSBuildProjectDirectory"] = Path.GetDirectoryName(projectFull)!,
            ["MSBuildProjectFullPath"] = projectFull,
            ["Configuration"] = "Debug",
            ["Platform"] = "AnyCPU",
            ["OS"] = OperatingSystem.IsWindows() ? "Windows_NT" : "Unix",
        };
        foreach (var (name, value) in globals)
        {
            Properties[name] = value;
        }

        var projectDir = Path.GetDirectoryName(projectFull)!;
        if (!IsFalse("ImportDirectoryBuildProps") && NearestAbove(root, projectDir, "Directory.Build.props") is { } props)
        {
            Read(props, XDocument.Load(props));
        }

        Read(projectFull, XDocument.Load(projectFull));

        // The SDK imports it after the project body: its properties override the project's.
        if (!IsFalse("ImportDirectoryBuildTargets") && NearestAbove(root, projectDir, "Directory.Build.targets") is { } targets)
        {
            Read(targets, XDocument.Load(targets));
        }
    }

    private bool IsFalse(string property) => string.Equals(Properties.GetValueOrDefault(property)?.Trim(), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>The properties once every file is read.</summary>
    public Dictionary<string, string> Properties { get; }

    /// <summary>The documents read (Directory.Build.props, the project, Directory.Build.targets, the files they import), each before the ones it imports.</summary>
    public List<XDocument> Documents { get; } = [];

    /// <summary>Full paths of <see cref="Documents"/>, in the same order: an edit of one changes the project.</summary>
    public List<string> Files { get; } = [];

    /// <summary>The project file's document.</summary>
    public XDocument Project => Documents[Files.IndexOf(Properties["MSBuildProjectFullPath"])];

    private void Read(string path, XDocument document)
    {
        Documents.Add(document);
        Files.Add(path);
        foreach (var element in document.Root!.Elements())
        {
            // MSBuildThisFileDirectory is the file's own folder, also after an import returns to it.
            Properties["MSBuildThisFileDirectory"] = Path.GetDirectoryName(path) + Path.DirectorySeparatorChar;
            if (!Holds(element, Properties))
            {
                continue;
            }

            if (element.Name.LocalName == "PropertyGroup")
            {
                foreach (var property in element.Elements().Where(e => Holds(e, Properties) && !_globals.ContainsKey(e.Name.LocalName)))
                {
                    Properties[property.Name.LocalName] = Expand(property.Value.Trim(), Properties);
                }
            }
            else if (element.Name.LocalName == "Import" && ImportPath(element.Attribute("Project")?.Value, path) is { } imported && !Files.Contains(imported))
            {
                Read(imported, XDocument.Load(imported));
            }
        }
    }

    /// <summary>
    /// The full path of an imported file inside the workspace, or null: <c>$(Property)</c> references and the
    /// <c>GetPathOfFileAbove</c> / <c>GetDirectoryNameOfFileAbove</c> functions that chain Directory.Build.props files
    /// are resolved; a relative path is relative to the importing file, as in MSBuild; wildcards are not expanded.
    /// </summary>
    private string? ImportPath(string? project, string importingFile)
    {
        if (string.IsNullOrWhiteSpace(project))
        {
            return null;
        }

        var text = FileAbove().Replace(project.Trim(), m =>
        {
            var (name, start) = m.Groups["fn"].Value == "GetPathOfFileAbove"
                ? (m.Groups["a"].Value, m.Groups["b"].Success ? m.Groups["b"].Value : Path.GetDirectoryName(importingFile)!)
                : (m.Groups["b"].Value, m.Groups["a"].Value);
            var found = Above(Expand(start, Properties), Expand(name, Properties));
            return m.Groups["fn"].Value == "GetPathOfFileAbove" ? found ?? "" : Path.GetDirectoryName(found) ?? "";
        });
        text = Expand(text, Properties);
        if (text.Length == 0 || text.Contains('*', StringComparison.Ordinal) || text.Contains("$(", StringComparison.Ordinal))
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(importingFile)!, text.Replace('\\', Path.DirectorySeparatorChar)));
        return Inside(full) && File.Exists(full) ? full : null;
    }

    private string? Above(string start, string name)
    {
        for (var dir = Path.GetFullPath(start.Length == 0 ? "." : start).TrimEnd(Path.DirectorySeparatorChar); dir is not null && Inside(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, name)))
            {
                return Path.Combine(dir, name);
            }
        }

        return null;
    }

    private bool Inside(string full) => full == _root || full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Whether an element's condition holds; one this reader cannot evaluate counts as false, and the element is skipped.</summary>
    public static bool Holds(XElement e, IReadOnlyDictionary<string, string> properties) =>
        e.Attribute("Condition")?.Value is not { } condition
        || MsBuildCondition.Evaluate(condition, properties, properties.GetValueOrDefault("MSBuildProjectDirectory") ?? "") == true;

    /// <summary><paramref name="value"/> with its <c>$(Property)</c> references replaced (an undefined property is empty).</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string> properties) =>
        PropertyReference().Replace(value, m => properties.GetValueOrDefault(m.Groups[1].Value) ?? "");

    // The nearest Directory.Build.props / .targets, from the project's folder up to the workspace root, as the SDK finds it.
    private static string? NearestAbove(string root, string projectDir, string fileName)
    {
        var rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        for (var dir = projectDir; dir is not null && dir.StartsWith(rootFull, StringComparison.Ordinal); dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    // $([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../')) and
    // $([MSBuild]::GetDirectoryNameOfFileAbove('$(MSBuildThisFileDirectory)..', 'Directory.Build.props')).
    [GeneratedRegex(@"\$\(\[MSBuild\]::(?<fn>GetPathOfFileAbove|GetDirectoryNameOfFileAbove)\(\s*'(?<a>[^']*)'\s*(,\s*'(?<b>[^']*)'\s*)?\)\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FileAbove();

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_.\-]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyReference();
}
