using AtomicCompose.Validation;

namespace AtomicCompose.Cli;

/// <summary>Human-readable output of previews and results.</summary>
internal static class Report
{
    public static void WriteDiffs(TextWriter o, IEnumerable<FileChange> files)
    {
        foreach (var f in files)
        {
            o.WriteLine($"== {f.Kind.ToString().ToLowerInvariant()} {f.Path}");
            foreach (var op in f.Operations)
            {
                o.WriteLine($"   {op.Operation.Kind} {op.Operation.Target}: lines {op.OldLines} -> {op.NewLines}");
            }

            o.Write(f.UnifiedDiff);
        }
    }

    public static void WriteValidation(TextWriter o, ValidationReport report)
    {
        o.WriteLine($"validation: {(report.Passed ? "PASSED" : "BLOCKED")}");
        foreach (var v in report.Verdicts)
        {
            o.WriteLine($"   {v.Validator,-14} {(v.Skipped ? "skipped" : v.Passed ? "ok" : "blocked"),-8} {v.Elapsed.TotalMilliseconds,8:0.0} ms  {v.Diagnostics.Count} diagnostic(s)");
        }

        foreach (var d in report.Diagnostics.Where(d => d.IsNew))
        {
            o.WriteLine($"   {(report.Blocking.Contains(d) ? "BLOCKS" : "new   ")} {d}");
        }
    }

    public static void WriteResult(TextWriter o, ComposeResult result)
    {
        WriteDiffs(o, result.Files);
        WriteValidation(o, result.Validation);
        o.WriteLine($"transaction: {result.TransactionId}");
        o.WriteLine($"commit:      {result.CommitSha ?? "(not a git repository)"}");
        o.WriteLine("index entries changed:");
        foreach (var e in result.EntityChanges)
        {
            o.WriteLine($"   {e.Change,-8} {e.Kind,-12} {e.NamePath} ({e.Path}:{e.Lines})");
        }

        o.WriteLine("timings:");
        foreach (var t in result.Timings)
        {
            o.WriteLine($"   {t.Step,-12} {t.Elapsed.TotalMilliseconds,8:0.00} ms");
        }
    }
}
