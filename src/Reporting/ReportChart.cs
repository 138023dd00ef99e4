namespace PoolCompress.Reporting;

/// <summary>One figure of the report: a PNG and the line that tells a reader what to look for in it.</summary>
internal sealed record ReportChart(string Title, string HowToRead, byte[] Png);
