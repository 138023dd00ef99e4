using PoolCompress.Contracts;
using PoolCompress.Reporting;

namespace PoolCompress.Study;

/// <summary>
/// How a study's runs emulate their clients' links. <see cref="Rule"/> is the link rule as written (PROFILE,
/// all:PROFILE, mix:a=0.5,b=0.5 or file:PATH, with PATH made absolute); the Links library parses it. Null when off.
/// </summary>
public sealed record StudyLinks(LinkMode Mode, string? Rule)
{
    public static StudyLinks Off { get; } = new(LinkMode.Off, null);
}
