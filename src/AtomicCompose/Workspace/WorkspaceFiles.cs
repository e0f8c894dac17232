namespace AtomicCompose.Workspace;

/// <summary>Which files of a workspace are C# sources worth indexing: not in hidden folders, bin or obj.</summary>
internal static class WorkspaceFiles
{
    public static IEnumerable<string> EnumerateCSharp(string root)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                var name = Path.GetFileName(sub);
                if (name.StartsWith('.') || name is "bin" or "obj" || new DirectoryInfo(sub).LinkTarget is not null)
                {
                    continue;
                }

                pending.Push(sub);
            }

            foreach (var file in Directory.EnumerateFiles(dir, "*.cs"))
            {
                if (!Path.GetFileName(file).StartsWith('.'))
                {
                    yield return Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                }
            }
        }
    }
}
