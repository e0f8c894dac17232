using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AtomicCompose.Validation.Analyzers;

/// <summary>
/// A project's <c>&lt;AdditionalFiles&gt;</c> as analyzers read them (a public API list, a banned-symbols list):
/// read once and again only when a file's stamp moves, so that findings cached under one set stay valid.
/// </summary>
internal sealed class AdditionalFiles
{
    private readonly Dictionary<string, (DateTime Stamp, long Length, AdditionalText Text)> _read = new(StringComparer.Ordinal);
    private AdditionalFileSet _last = AdditionalFileSet.Empty;

    /// <summary>The texts of <paramref name="fullPaths"/> that exist; the same instance while none changed.</summary>
    public AdditionalFileSet For(ImmutableArray<string> fullPaths)
    {
        if (fullPaths.IsDefaultOrEmpty)
        {
            return AdditionalFileSet.Empty;
        }

        var texts = ImmutableArray.CreateBuilder<AdditionalText>(fullPaths.Length);
        foreach (var path in fullPaths)
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                continue;
            }

            if (!_read.TryGetValue(path, out var known) || known.Stamp != info.LastWriteTimeUtc || known.Length != info.Length)
            {
                using var stream = File.OpenRead(path);
                known = (info.LastWriteTimeUtc, info.Length, new FileText(path, SourceText.From(stream)));
                _read[path] = known;
            }

            texts.Add(known.Text);
        }

        var current = texts.ToImmutable();
        return current.SequenceEqual(_last.Texts) ? _last : _last = new AdditionalFileSet(current);
    }

    private sealed class FileText(string path, SourceText text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => text;
    }
}

/// <summary>One snapshot of a project's additional files.</summary>
internal sealed class AdditionalFileSet(ImmutableArray<AdditionalText> texts)
{
    public static AdditionalFileSet Empty { get; } = new([]);

    public ImmutableArray<AdditionalText> Texts { get; } = texts;
}
