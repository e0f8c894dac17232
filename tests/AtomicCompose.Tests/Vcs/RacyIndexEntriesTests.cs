using AtomicCompose.Tests.TestSupport;
using AtomicCompose.Vcs;
using LibGit2Sharp;

namespace AtomicCompose.Tests.Vcs;

public sealed class RacyIndexEntriesTests : IDisposable
{
    private readonly TempWorkspace _ws = TempWorkspace.Create();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Only_the_entries_staged_in_the_index_files_own_second_are_racy()
    {
        _ws.Write("old.txt", "old\n");
        _ws.CommitAll();
        List<string>? racy;
        var attempts = 0;
        do
        {
            // old.txt's time must lie in an earlier second than the index git writes next.
            WaitForNextSecond();
            _ws.Write("fresh.txt", "fresh\n");
            _ws.Git("add", "fresh.txt");
            using var repo = new Repository(_ws.Root);
            racy = RacyIndexEntries.Paths(repo.Info.Path, repo.Index);
        }
        while (racy is not null && !racy.Contains("fresh.txt") && ++attempts < 3); // the add crossed a second boundary: again

        Assert.NotNull(racy); // the native layout was read and checked against LibGit2Sharp's view
        Assert.Contains("fresh.txt", racy);
        Assert.DoesNotContain("old.txt", racy);
    }

    [Fact]
    public void A_repository_without_an_index_has_no_racy_entries()
    {
        _ws.Git("init", "-q", "sub");
        using var repo = new Repository(Path.Combine(_ws.Root, "sub"));
        Assert.Empty(RacyIndexEntries.Paths(repo.Info.Path, repo.Index)!);
    }

    private static void WaitForNextSecond()
    {
        var now = DateTimeOffset.UtcNow;
        Thread.Sleep(DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 1) - now + TimeSpan.FromMilliseconds(20));
    }
}
