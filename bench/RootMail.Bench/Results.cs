using System;
using System.Collections.Generic;

namespace RootMail.Bench
{
    /// <summary>Everything one run measured; <see cref="Report"/> turns it into markdown.</summary>
    internal sealed class Results
    {
        public Options Options { get; set; } = null!;
        public MachineInfo Machine { get; set; } = null!;
        public DateTimeOffset StartedAt { get; set; }
        public TimeSpan Duration { get; set; }

        /// <summary>The 1-minute load average (/proc/loadavg) before and after the run: other work on the machine shows here.</summary>
        public string LoadBefore { get; set; } = "?";
        public string LoadAfter { get; set; } = "?";
        public ImportResults? Import { get; set; }
        public List<ProvisionResult> Provision { get; } = new List<ProvisionResult>();
        public List<SeedResult> Seeds { get; } = new List<SeedResult>();
        public List<HandOutResult> HandOuts { get; } = new List<HandOutResult>();
        public List<LookupResult> Lookups { get; } = new List<LookupResult>();
        public List<ConcurrencyResult> Concurrency { get; } = new List<ConcurrencyResult>();
        public List<StreamResult> Streams { get; } = new List<StreamResult>();
        public List<(int Size, string What, Samples Ms)> Diagnostics { get; } = new List<(int, string, Samples)>();

        /// <summary>Per registry size: RootMail hand-outs made in the whole run and how many distinct addresses they returned.</summary>
        public List<(int Size, int HandOuts, int Distinct)> RootMailHandOutTotals { get; } = new List<(int, int, int)>();
    }

    internal sealed record MachineInfo(
        int Cores, string Cpu, double MemoryGiB, string Os, string Dotnet, string PowerShell, string RootMail, string Simulator,
        string Azurite, string Node, string Configuration);

    internal sealed class SeedResult
    {
        public int Size { get; init; }
        public int Mailboxes { get; init; }
        public double RootMailSeconds { get; set; }
        public long RootMailRequests { get; set; }
        public long RootMailSetMailbox { get; set; }
        public double BaselineSeconds { get; set; }
    }

    internal sealed class HandOutResult
    {
        public int Size { get; init; }
        public Samples RootMailMs { get; } = new Samples();
        public Samples RootMailRequests { get; } = new Samples();
        public Samples RootMailQueries { get; } = new Samples();
        /// <summary>Every RootMail hand-out that ran a query (refilled its claim window), warm-up included.</summary>
        public Samples RootMailRefillMs { get; } = new Samples();
        public int WarmupHandOuts { get; set; }
        public Samples RootMailExchange { get; } = new Samples();
        public Samples BaselineMs { get; } = new Samples();
        public Samples BaselineRequests { get; } = new Samples();
    }

    internal sealed class LookupResult
    {
        public int Size { get; init; }
        public string Kind { get; init; } = "";
        public Samples RootMailMs { get; } = new Samples();
        public Samples RootMailRequests { get; } = new Samples();
        public Samples RootMailRows { get; } = new Samples();
        public Samples BaselineMs { get; } = new Samples();
        public Samples BaselineRequests { get; } = new Samples();
        public Samples BaselineRows { get; } = new Samples();
    }

    internal sealed class ProvisionResult
    {
        public int Count { get; init; }
        public int Mailboxes { get; init; }
        public double RootMailMs { get; set; }
        public long RootMailRequests { get; set; }
        /// <summary>Exchange commands by RootMail's own count (its closing verbose line).</summary>
        public long RootMailExchangeOwn { get; set; }
        public ExchangeStatistics RootMailExchange { get; set; } = null!;
        public double BaselineMs { get; set; }
        public long BaselineRequests { get; set; }
        public ExchangeStatistics BaselineExchange { get; set; } = null!;
    }

    /// <summary>One side (RootMail or the baseline) of one concurrency configuration.</summary>
    internal sealed class RaceSide
    {
        public int Attempts { get; set; }
        public int Succeeded { get; set; }
        public int Errors { get; set; }
        public string? FirstError { get; set; }
        public double WallMs { get; set; }
        public Samples LatencyMs { get; } = new Samples();
        public Samples Requests { get; } = new Samples();

        /// <summary>Registry requests of all attempts per successful hand-out (lost races cost extra requests).</summary>
        public double RequestsPerHandOut => Succeeded == 0 || Requests.Count == 0 ? double.NaN : Requests.Sum / Succeeded;

        /// <summary>Addresses that were returned to more than one caller.</summary>
        public int DuplicatedAddresses { get; set; }

        /// <summary>Callers whose address was also returned to another caller, less one per address: hand-outs that went to a taken alias.</summary>
        public int ExtraHandOuts { get; set; }

        /// <summary>Callers whom the registry, read afterwards, does not record as the requester of the address they got.</summary>
        public int NotRecorded { get; set; }

        public double Throughput => WallMs <= 0 ? 0 : Succeeded / (WallMs / 1000);
    }

    internal sealed class ConcurrencyResult
    {
        public int Size { get; init; }
        public int Threads { get; init; }
        public int PerThread { get; init; }
        public RaceSide RootMail { get; } = new RaceSide();
        public RaceSide Baseline { get; } = new RaceSide();
    }

    internal sealed class StreamResult
    {
        public string What { get; init; } = "";
        public string Side { get; init; } = "";
        public long Objects { get; set; }
        public Samples Ms { get; } = new Samples();
        public Samples FirstMs { get; } = new Samples();
        public Samples Requests { get; } = new Samples();
        public long PeakHeapGrowth { get; set; }
        public long PeakAfterGcGrowth { get; set; }
        public long PeakWorkingSetGrowth { get; set; }
    }
}
