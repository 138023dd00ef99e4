namespace PoolCompress.Links.Tests;

public sealed class LinkAssignmentTests : IDisposable
{
    private const string ThreeWayMix = "mix:3g=0.2,lte=0.5,fiber=0.3";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("poolcompress-links-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("lte")]
    [InlineData("all:lte")]
    [InlineData(" ALL: LTE ")]
    public void Everyone_gets_the_same_named_link(string rule)
    {
        var assignment = LinkAssignment.Parse(rule, clients: 5, seed: 1);

        Assert.Equal(rule, assignment.Rule);
        Assert.All(Links(assignment), link => Assert.Same(LinkProfiles.Named["lte"], link));
    }

    [Fact]
    public void Everyone_can_share_an_explicit_link()
    {
        var assignment = LinkAssignment.Parse("all:up=1mbit,down=2mbit,rtt=10ms", clients: 3, seed: 1);

        Assert.All(Links(assignment), link => Assert.Equal(2e6, link.DownlinkBitsPerSecond));
    }

    [Fact]
    public void Mix_gives_each_profile_its_share_of_clients_within_one()
    {
        for (int clients = 1; clients <= 60; clients++)
        {
            var counts = Links(LinkAssignment.Parse(ThreeWayMix, clients, seed: 7)).CountBy(link => link.Name).ToDictionary();

            Assert.Equal(clients, counts.Values.Sum());
            Assert.InRange(counts.GetValueOrDefault("3g") - 0.2 * clients, -1, 1);
            Assert.InRange(counts.GetValueOrDefault("lte") - 0.5 * clients, -1, 1);
            Assert.InRange(counts.GetValueOrDefault("fiber") - 0.3 * clients, -1, 1);
        }
    }

    [Fact]
    public void Mix_counts_are_exact_when_the_shares_divide_evenly()
    {
        var counts = Links(LinkAssignment.Parse(ThreeWayMix, clients: 10, seed: 3)).CountBy(link => link.Name).ToDictionary();

        Assert.Equal(new Dictionary<string, int> { ["3g"] = 2, ["lte"] = 5, ["fiber"] = 3 }, counts);
    }

    [Fact]
    public void Mix_is_the_same_for_the_same_seed_and_differs_between_seeds()
    {
        string[] first = Names(LinkAssignment.Parse(ThreeWayMix, clients: 40, seed: 42));

        Assert.Equal(first, Names(LinkAssignment.Parse(ThreeWayMix, clients: 40, seed: 42)));
        Assert.Contains(Enumerable.Range(43, 5), seed => !first.SequenceEqual(Names(LinkAssignment.Parse(ThreeWayMix, clients: 40, seed))));
    }

    [Theory]
    [InlineData("mix:3g=0.2,lte=0.5", "link rule 'mix:3g=0.2,lte=0.5': the shares sum to 0.7; they must sum to 1")]
    [InlineData("mix:3g=0.5,lte=0.51", "the shares sum to 1.01; they must sum to 1")]
    [InlineData("mix:wifi=1", "unknown profile 'wifi'; mix takes the named profiles 3g, lte, dsl, fiber")]
    [InlineData("mix:3g=0.5,3G=0.5", "profile '3G' is listed twice")]
    [InlineData("mix:3g,lte=1", "'3g' has no share; expected PROFILE=SHARE")]
    [InlineData("mix:3g=-0.5,lte=1.5", "'3g=-0.5': a share must be a number from 0 to 1")]
    [InlineData("mix:3g=half,lte=0.5", "'3g=half': a share must be a number from 0 to 1")]
    [InlineData("mix:", "no shares given")]
    [InlineData("some:3g", "unknown rule 'some:'; write PROFILE, all:PROFILE, mix:PROFILE=SHARE,... or file:PATH")]
    [InlineData("all:wifi", "unknown profile 'wifi'")]
    [InlineData("file:", "file: needs a path")]
    public void Rejects_bad_rules(string rule, string expectedMessagePart)
    {
        var error = Assert.Throws<LinkSpecException>(() => LinkAssignment.Parse(rule, clients: 4, seed: 1));
        Assert.Contains(expectedMessagePart, error.Message);
    }

    [Fact]
    public void Mix_shares_may_miss_1_by_rounding()
    {
        var assignment = LinkAssignment.Parse("mix:3g=0.3333333,lte=0.3333333,dsl=0.3333334", clients: 3, seed: 1);

        Assert.Equal(["3g", "dsl", "lte"], Names(assignment).Order());
    }

    [Fact]
    public void File_gives_each_listed_client_its_link()
    {
        WriteFile("links.csv", """
            client_index,profile
            # the slow half
            0,3g
            1, dsl   # trailing comments are fine
            2,up=1mbit,down=4mbit,rtt=20ms

            3,FIBER
            """);

        var assignment = LinkAssignment.Parse("file:links.csv", clients: 4, seed: 1, baseDirectory: _directory.FullName);

        Assert.Equal(["3g", "dsl", "up=1mbit,down=4mbit,rtt=20ms", "fiber"], Names(assignment));
    }

    [Fact]
    public void File_may_name_clients_by_id()
    {
        string path = WriteFile("by-id.csv", "client-0001,lte\nclient-0000,3g\n");

        var assignment = LinkAssignment.Parse($"file:{path}", ["client-0000", "client-0001"], seed: 1);

        Assert.Equal(["3g", "lte"], Names(assignment));
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var error = Assert.Throws<LinkSpecException>(() => LinkAssignment.Parse("file:absent.csv", clients: 2, seed: 1, _directory.FullName));

        Assert.Equal($"link file '{Path.Combine(_directory.FullName, "absent.csv")}' not found", error.Message);
    }

    [Fact]
    public void Clients_left_out_of_the_file_are_named()
    {
        WriteFile("partial.csv", "1,lte\n4,3g\n");

        var error = Assert.Throws<LinkSpecException>(() => LinkAssignment.Parse("file:partial.csv", clients: 5, seed: 1, _directory.FullName));

        Assert.EndsWith("partial.csv': no link for clients 0, 2, 3; every client needs a line CLIENT,PROFILE", error.Message);
    }

    [Fact]
    public void Many_missing_clients_are_summarised()
    {
        WriteFile("empty.csv", "# nobody yet\n");

        var error = Assert.Throws<LinkSpecException>(() => LinkAssignment.Parse("file:empty.csv", clients: 25, seed: 1, _directory.FullName));

        Assert.Contains("no link for clients 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 15 more", error.Message);
    }

    [Theory]
    [InlineData("0,lte\n1,wifi\n", "line 2: link 'wifi': unknown profile 'wifi'")]
    [InlineData("0,lte\n1,up=1mbps,down=1mbit\n", "line 2: link 'up=1mbps,down=1mbit': unknown unit 'mbps'")]
    [InlineData("0,lte\n0,3g\n", "line 2: client 0 already has a link, given on line 1")]
    [InlineData("0,lte\n2,3g\n", "line 2: unknown client '2'; expected a client index from 0 to 1")]
    [InlineData("0,lte\nclient-0001,3g\n", "line 2: unknown client 'client-0001'; expected a client index from 0 to 1")]
    [InlineData("0 lte\n", "line 1: expected CLIENT,PROFILE but found '0 lte'")]
    [InlineData("0,lte\nclient_index,profile\n", "line 2: unknown client 'client_index'")]
    public void Rejects_bad_file_lines_naming_the_line(string contents, string expectedMessagePart)
    {
        WriteFile("bad.csv", contents);

        var error = Assert.Throws<LinkSpecException>(() => LinkAssignment.Parse("file:bad.csv", clients: 2, seed: 1, _directory.FullName));

        Assert.Contains(expectedMessagePart, error.Message);
    }

    [Fact]
    public void Unknown_ids_mention_the_id_form()
    {
        WriteFile("ids.csv", "client-9,lte\n");

        var error = Assert.Throws<LinkSpecException>(() => LinkAssignment.Parse("file:ids.csv", ["client-0000"], seed: 1, _directory.FullName));

        Assert.Contains("unknown client 'client-9'; expected a client index from 0 to 0 or a client id such as 'client-0000'", error.Message);
    }

    [Fact]
    public void Asking_for_a_client_outside_the_assignment_is_an_error()
    {
        var assignment = LinkAssignment.Parse("lte", clients: 2, seed: 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => assignment.For(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => assignment.For(-1));
    }

    private string WriteFile(string name, string contents)
    {
        string path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, contents);
        return path;
    }

    private static LinkProfile[] Links(LinkAssignment assignment) => [.. Enumerable.Range(0, assignment.Clients).Select(assignment.For)];

    private static string[] Names(LinkAssignment assignment) => [.. Links(assignment).Select(link => link.Name)];
}
