using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AtomicCompose.Indexing;

namespace AtomicCompose.Validation.Build;

/// <summary>
/// What MSBuild said (an evaluation, or a design-time build's command line) stored in the index with a fingerprint of
/// everything it was made from: the files it read (each one's size and time, or its absence), the installed SDKs, the
/// <c>global.json</c> files above the project, and the environment variables MSBuild and the SDK read
/// (<c>DOTNET_*</c>, <c>MSBUILD*</c>, <c>NUGET_*</c>, <c>Configuration</c>, <c>Platform</c>). An entry whose
/// fingerprint no longer matches is ignored, and the caller asks MSBuild again.
/// </summary>
internal static class ProjectInputsStore
{
    // A change of what is stored (or of how the context is made from it) makes every old entry a miss.
    // 3: the places of config files (BuildContexts.ConfigFilePlaces) are inputs; 4: an evaluation says whether the SDK's restore check passed
    private const int FormatVersion = 4;

    public static CachedProjectInputs? Read(IProjectInputsCache? cache, string key)
    {
        if (cache?.GetProjectInputs(key) is not { } text)
        {
            return null;
        }

        CachedProjectInputs? entry;
        try
        {
            entry = JsonSerializer.Deserialize(text, ProjectInputsJson.Default.CachedProjectInputs);
        }
        catch (JsonException)
        {
            return null;
        }

        return entry is not null && entry.Version == FormatVersion && entry.Fingerprint == Fingerprint(entry.Files) ? entry : null;
    }

    public static void Write(IProjectInputsCache? cache, string key, IEnumerable<string> files, ProjectEvaluationResult? evaluation, CompilerInvocation? invocation)
    {
        if (cache is null)
        {
            return;
        }

        var list = files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        var entry = new CachedProjectInputs(FormatVersion, Fingerprint(list), list, evaluation, invocation);
        cache.PutProjectInputs(key, JsonSerializer.Serialize(entry, ProjectInputsJson.Default.CachedProjectInputs));
    }

    /// <summary>The fingerprint of the files (full paths) and of the machine's SDKs and MSBuild environment.</summary>
    internal static string Fingerprint(IEnumerable<string> files)
    {
        var text = new StringBuilder();
        foreach (var file in files)
        {
            if (SourceListing.IsListing(file))
            {
                text.Append(file).Append('|').Append(SourceListing.Of(file)).Append('\n');
                continue;
            }

            var info = new FileInfo(file);
            text.Append(file).Append('|').Append(info.Exists ? $"{info.Length}|{info.LastWriteTimeUtc.Ticks}" : "-").Append('\n');
        }

        foreach (var (path, _) in DotnetInstall.Roots.SelectMany(r => DotnetInstall.Versions(Path.Combine(r, "sdk"))))
        {
            text.Append("sdk|").Append(path).Append('\n');
        }

        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(ReadByMsBuild).Order(StringComparer.Ordinal))
        {
            text.Append("env|").Append(name).Append('=').Append(Environment.GetEnvironmentVariable(name)).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static bool ReadByMsBuild(string name) =>
        name.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("NUGET_", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Configuration", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Platform", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One stored answer of MSBuild and the fingerprint of its inputs.</summary>
internal sealed record CachedProjectInputs(int Version, string Fingerprint, ImmutableArray<string> Files, ProjectEvaluationResult? Evaluation, CompilerInvocation? Invocation);

[JsonSerializable(typeof(CachedProjectInputs))]
internal sealed partial class ProjectInputsJson : JsonSerializerContext;
