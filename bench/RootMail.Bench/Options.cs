using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using RootMail.Testing;

namespace RootMail.Bench
{
    /// <summary>The command line of the bench.</summary>
    internal sealed class Options
    {
        public const string Usage =
            "Usage: dotnet run -c Release --project bench/RootMail.Bench [-- <options>]\n" +
            "  Starts Azurite (in memory), hosts the PowerShell 7.6 engine with out/RootMail and out/RootMail.Simulator,\n" +
            "  measures RootMail side by side with the reference design's algorithm, prints the tables and writes them\n" +
            "  to docs/benchmarks.md (a --quick run writes out/bench/benchmarks-quick.md instead).\n" +
            "  --quick                 small sizes and few repetitions (about a minute)\n" +
            "  --sizes <a,b,c>         aliases in the registry (default 50,5000,50000; quick 50,1000,10000)\n" +
            "  --reps <n>              measured repetitions per hand-out and lookup (default 30; quick 10)\n" +
            "  --handout-reps <n>      measured hand-outs per size (default 100; quick 30), at most size - warm-up - 10\n" +
            "  --warmup <n>            warm-up repetitions, not measured (default 10; quick 3)\n" +
            "  --threads <a,b,c>       concurrent runspaces/threads (default 1,4,8)\n" +
            "  --per-thread <n>        hand-outs per runspace/thread in the concurrency test (default 25; quick 10)\n" +
            "  --provision <n>         aliases provisioned in the provisioning comparison (default 1000)\n" +
            "  --provision-reps <n>    repetitions of that comparison (default 3; quick 1)\n" +
            "  --stream-reps <n>       repetitions of the streaming listing (default 3; quick 1)\n" +
            "  --import-samples <n>    fresh processes timed for Import-Module (default 7; quick 3), after one warm-up\n" +
            "  --output <path>         where to write the markdown (default: see above)\n" +
            "  --no-write              print only\n" +
            "  --import-probe <psd1>   (internal) child mode: open a runspace, time Import-Module, print JSON, exit";

        public bool Help { get; private set; }
        public bool Quick { get; private set; }
        public bool NoWrite { get; private set; }
        public string? ImportProbeManifest { get; private set; }
        public IReadOnlyList<int> Sizes { get; private set; } = Array.Empty<int>();
        public IReadOnlyList<int> Threads { get; private set; } = new[] { 1, 4, 8 };
        public int Reps { get; private set; }
        public int HandOutReps { get; private set; }
        public int Warmup { get; private set; }
        public int PerThread { get; private set; }
        public int ProvisionCount { get; private set; } = 1000;
        public int ProvisionReps { get; private set; }
        public int StreamReps { get; private set; }
        public int ImportSamples { get; private set; }
        public string? Output { get; private set; }

        /// <summary>The arguments as given, for the report.</summary>
        public string CommandLine { get; private set; } = "";

        public int LargestSize => Sizes.Max();

        /// <summary>The concurrency test runs on the registry of the middle size (5,000 by default).</summary>
        public int ConcurrencySize => Sizes.OrderBy(s => s).ElementAt(Sizes.Count / 2);

        public string OutputPath => Output ?? (Quick
            ? Path.Combine(RepoLayout.OutDir, "bench", "benchmarks-quick.md")
            : Path.Combine(RepoLayout.Root, "docs", "benchmarks.md"));

        public static Options Parse(string[] args)
        {
            var o = new Options();
            int? reps = null, handOutReps = null, warmup = null, perThread = null, provisionReps = null, streamReps = null, importSamples = null;
            List<int>? sizes = null;
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--quick": o.Quick = true; break;
                    case "--no-write": o.NoWrite = true; break;
                    case "--sizes": sizes = Numbers(args[i], Next(), 1); break;
                    case "--threads": o.Threads = Numbers(args[i], Next(), 1).Distinct().OrderBy(t => t).ToList(); break;
                    case "--reps": reps = Number(args[i], Next(), 1); break;
                    case "--handout-reps": handOutReps = Number(args[i], Next(), 1); break;
                    case "--warmup": warmup = Number(args[i], Next(), 0); break;
                    case "--per-thread": perThread = Number(args[i], Next(), 1); break;
                    case "--provision": o.ProvisionCount = Number(args[i], Next(), 1); break;
                    case "--provision-reps": provisionReps = Number(args[i], Next(), 1); break;
                    case "--stream-reps": streamReps = Number(args[i], Next(), 1); break;
                    case "--import-samples": importSamples = Number(args[i], Next(), 1); break;
                    case "--output": o.Output = Path.GetFullPath(Next()); break;
                    case "--import-probe": o.ImportProbeManifest = Next(); break;
                    case "-h":
                    case "-?":
                    case "--help": o.Help = true; break;
                    default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
            o.Sizes = (sizes ?? (o.Quick ? new List<int> { 50, 1000, 10000 } : new List<int> { 50, 5000, 50000 })).Distinct().OrderBy(s => s).ToList();
            o.Reps = reps ?? (o.Quick ? 10 : 30);
            o.HandOutReps = handOutReps ?? (o.Quick ? 30 : 100);
            o.Warmup = warmup ?? (o.Quick ? 3 : 10);
            o.PerThread = perThread ?? (o.Quick ? 10 : 25);
            o.ProvisionReps = provisionReps ?? (o.Quick ? 1 : 3);
            o.StreamReps = streamReps ?? (o.Quick ? 1 : 3);
            o.ImportSamples = importSamples ?? (o.Quick ? 3 : 7);
            o.CommandLine = "dotnet run -c Release --project bench/RootMail.Bench" + (args.Length == 0 ? "" : " -- " + string.Join(" ", args));
            return o;
        }

        private static int Number(string name, string text, int min)
            => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
                ? n
                : throw new ArgumentException($"{name} needs a whole number of at least {min}.");

        private static List<int> Numbers(string name, string text, int min)
            => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => Number(name, t.Replace("_", "", StringComparison.Ordinal), min)).ToList() is { Count: > 0 } list
                ? list
                : throw new ArgumentException($"{name} needs a comma-separated list of numbers.");
    }
}
