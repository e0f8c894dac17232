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
    /// evaluates the project, and for a multi-targeting one as the inner build of <paramref name="framework"/> (default: its
    /// first), where TargetFramework is a global property (conditions on it hold, assignments to it do not).
    /// </summary>
    public static ProjectEvaluation Of(string root, string projectFull, string? framework = null)
    {
        var outer = Outer(root, projectFull);
        return IsMultiTargeting(outer) && (framework ?? TargetFramework.MonikerOf(outer.Properties)) is { } inner ? Inner(root, projectFull, inner) : outer;
    }

    /// <summary>The project as its outer build evaluates it, with no framework given: where <c>TargetFrameworks</c> is read.</summary>
    public static ProjectEvaluation Outer(string root, string projectFull) =>
        new(root, projectFull, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>The project as the inner build for <paramref name="framework"/> of a multi-targeting project evaluates it.</summary>
    public static ProjectEvaluation Inner(string root, string projectFull, string framework) =>
        new(root, projectFull, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["TargetFramework"] = framework });

    /// <summary>Whether an outer evaluation is of a project built once per framework (<c>TargetFrameworks</c> with no <c>TargetFramework</c>).</summary>
    public static bool IsMultiTargeting(ProjectEvaluation outer) => string.IsNullOrWhiteSpace(outer.Properties.GetValueOrDefault("TargetFramework"));

    private readonly string _root;
    private readonly Dictionary<string, string> _globals;

    private ProjectEvaluation(string root, string projectFull, Dictionary<string, string> globals)
    {
        _root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        _globals = globals;
        _projectFull = projectFull;

        // As in MSBuild, environment variables are properties too (the lowest precedence), and the reserved MSBuild* ones come next.
        Properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && variable.Value is string value && PropertyName().IsMatch(name) && !name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            {
                Properties[name] = value;
            }
        }

        Properties["MSBuildProjectName"] = Path.GetFileNameWithoutExtension(projectFull);
        Properties["MSBuildProjectDirectory"] = Path.GetDirectoryName(projectFull)!;
        Properties["MSBuildProjectFullPath"] = projectFull;
        Properties["OS"] = OperatingSystem.IsWindows() ? "Windows_NT" : "Unix";
        foreach (var (name, value) in globals)
        {
            Properties[name] = value;
        }

        var projectDir = Path.GetDirectoryName(projectFull)!;
        if (!IsFalse("ImportDirectoryBuildProps") && Above(projectDir, "Directory.Build.props") is { } props)
        {
            Read(props);
        }

        // The SDK's props set these after Directory.Build.props, which sees them empty, and before the project body.
        Default("Configuration", "Debug");
        Default("Platform", "AnyCPU");
        Read(projectFull);

        // The SDK's targets work these out from the target framework before Directory.Build.targets, which can test them.
        if (TargetFramework.Of(Properties) is { } framework)
        {
            Default("TargetFrameworkIdentifier", framework.Identifier);
            Default("TargetFrameworkVersion", framework.VersionText);
            if (framework.PlatformIdentifier is { } platform)
            {
                Default("TargetPlatformIdentifier", platform);
                Default("TargetPlatformVersion", framework.EffectivePlatformVersion ?? "");
            }
        }

        if (!IsFalse("ImportDirectoryBuildTargets") && Above(projectDir, "Directory.Build.targets") is { } targets)
        {
            Read(targets);
        }
    }

    private readonly string _projectFull;

    private bool IsFalse(string property) => string.Equals(Properties.GetValueOrDefault(property)?.Trim(), "false", StringComparison.OrdinalIgnoreCase);

    private void Default(string property, string value)
    {
        if (string.IsNullOrEmpty(Properties.GetValueOrDefault(property)))
        {
            Properties[property] = value;
        }
    }

    /// <summary>The properties once every file is read.</summary>
    public Dictionary<string, string> Properties { get; }

    /// <summary>The documents read (Directory.Build.props, the project, Directory.Build.targets, the files they import), each before the ones it imports.</summary>
    public List<XDocument> Documents { get; } = [];

    /// <summary>Full paths of <see cref="Documents"/>, in the same order: an edit of one changes the project.</summary>
    public List<string> Files { get; } = [];

    /// <summary>The project file's document.</summary>
    public XDocument Project => Documents[Files.IndexOf(_projectFull)];

    /// <summary>
    /// Reads one file. The project file must be readable (a broken one is the caller's error to report); a props,
    /// targets or imported file that is not well-formed XML or cannot be read is skipped, where a build would stop.
    /// </summary>
    private void Read(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path);
        }
        catch (Exception ex) when (path != _projectFull && ex is System.Xml.XmlException or IOException or UnauthorizedAccessException)
        {
            return;
        }

        Documents.Add(document);
        Files.Add(path);
        ReadElements(document.Root!.Elements(), path);
    }

    private void ReadElements(IEnumerable<XElement> elements, string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        foreach (var element in elements)
        {
            // MSBuildThisFileDirectory is the file's own folder, also after an import returns to it.
            Properties["MSBuildThisFileDirectory"] = directory + Path.DirectorySeparatorChar;
            switch (element.Name.LocalName)
            {
                case "PropertyGroup" when Holds(element, Properties):
                    foreach (var property in element.Elements().Where(e => Holds(e, Properties) && IsAssignable(e.Name.LocalName)))
                    {
                        Properties[property.Name.LocalName] = Expand(property.Value.Trim(), Properties);
                    }

                    break;

                // An import's condition resolves a relative Exists() from the importing file's folder, as MSBuild does.
                case "Import" when Holds(element, Properties, directory):
                    if (ImportPath(element.Attribute("Project")?.Value, path) is { } imported && !Files.Contains(imported))
                    {
                        Read(imported);
                    }

                    break;
                case "ImportGroup" when Holds(element, Properties, directory):
                    ReadElements(element.Elements().Where(e => e.Name.LocalName == "Import"), path);
                    break;

                case "Choose" when Branch(element, Properties) is { } branch:
                    ReadElements(branch.Elements(), path);
                    break;
            }
        }
    }

    /// <summary>The item groups of a document whose condition holds, those in the chosen branch of a <c>&lt;Choose&gt;</c> included (items see the final properties).</summary>
    public static IEnumerable<XElement> ItemGroups(XDocument document, IReadOnlyDictionary<string, string> properties) =>
        ItemGroups(document.Root!.Elements(), properties);

    private static IEnumerable<XElement> ItemGroups(IEnumerable<XElement> elements, IReadOnlyDictionary<string, string> properties)
    {
        foreach (var element in elements)
        {
            if (element.Name.LocalName == "ItemGroup" && Holds(element, properties))
            {
                yield return element;
            }
            else if (element.Name.LocalName == "Choose" && Branch(element, properties) is { } branch)
            {
                foreach (var group in ItemGroups(branch.Elements(), properties))
                {
                    yield return group;
                }
            }
        }
    }

    // <Choose>: the first <When> whose condition holds, else <Otherwise>.
    private static XElement? Branch(XElement choose, IReadOnlyDictionary<string, string> properties) =>
        choose.Elements().FirstOrDefault(w => w.Name.LocalName == "When" && w.Attribute("Condition") is not null && Holds(w, properties))
        ?? choose.Elements().FirstOrDefault(o => o.Name.LocalName == "Otherwise");

    // A global property keeps its value; the reserved MSBuild* properties cannot be set (MSBuild reports an error).
    private bool IsAssignable(string name) => !_globals.ContainsKey(name) && !name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase);

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

    // The nearest file of that name from a folder up to the workspace root, as the SDK finds Directory.Build.props and
    // GetPathOfFileAbove does.
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

    /// <summary>
    /// Whether an element's condition holds, a relative <c>Exists()</c> path resolving from <paramref name="directory"/>
    /// (default: the project's folder); a condition this reader cannot evaluate counts as false, and the element is skipped.
    /// </summary>
    public static bool Holds(XElement e, IReadOnlyDictionary<string, string> properties, string? directory = null) =>
        e.Attribute("Condition")?.Value is not { } condition
        || MsBuildCondition.Evaluate(condition, properties, directory ?? properties.GetValueOrDefault("MSBuildProjectDirectory") ?? "") == true;

    /// <summary><paramref name="value"/> with its <c>$(Property)</c> references replaced (an undefined property is empty).</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string> properties) =>
        PropertyReference().Replace(value, m => properties.GetValueOrDefault(m.Groups[1].Value) ?? "");

    // $([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../')) and
    // $([MSBuild]::GetDirectoryNameOfFileAbove('$(MSBuildThisFileDirectory)..', 'Directory.Build.props')).
    [GeneratedRegex(@"\$\(\[MSBuild\]::(?<fn>GetPathOfFileAbove|GetDirectoryNameOfFileAbove)\(\s*'(?<a>[^']*)'\s*(,\s*'(?<b>[^']*)'\s*)?\)\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FileAbove();

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_.\-]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyReference();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyName();
}
