using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using Azure.Data.Tables;
using RootMail.Testing;

namespace RootMail.Bench
{
    /// <summary>
    /// Runs every measurement of issue 6 in one process against one Azurite and one simulated tenant, RootMail and the
    /// baseline interleaved call by call so that both see the same machine state, and returns the figures.
    /// </summary>
    internal sealed class Bench
    {
        /// <summary>Aliases per mailbox when seeding (the simulator caps a mailbox at 400 proxy addresses).</summary>
        private const int MailboxCapacity = 300;

        /// <summary>Largest -Count RootMail accepts in one call.</summary>
        private const int MaxProvisionPerCall = 20000;

        private const int Requesters = 5;
        /// <summary>Handed-out aliases registered to AWS accounts on each side before the lookups.</summary>
        internal const int Registrations = 10;

        private readonly Options options;
        private readonly Results results;
        private readonly Stopwatch runClock = Stopwatch.StartNew();
        private AzuriteServer azurite = null!;
        private PsEngine main = null!;

        public Bench(Options options)
        {
            this.options = options;
            results = new Results { Options = options, StartedAt = DateTimeOffset.Now };
        }

        private string ConnectionString => azurite.ConnectionString; // holds the emulator's key: never printed

        public Results Run()
        {
            CheckSizes();
            results.LoadBefore = LoadAverage();

            Log($"Cold Import-Module: {options.ImportSamples} fresh processes (after one warm-up start) ...");
            results.Import = ImportProbe.Measure(RepoLayout.RootMailManifest, options.ImportSamples, Log);
            Log($"  Import-Module median {results.Import.Import.Median:0} ms");

            AzuriteServer.EnsureInstalled(log: Console.Error);
            using (azurite = AzuriteServer.StartNew())
            using (main = PsEngine.Open())
            {
                Log($"Azurite {AzuriteVersion()} at {azurite.TableEndpoint} (in memory); PowerShell {main.EngineVersion()} with RootMail {main.ModuleVersion("RootMail")}.");
                results.Machine = Machine();

                ProvisionComparison();
                foreach (var size in options.Sizes)
                {
                    SizeRound(size);
                }
            }
            results.Duration = runClock.Elapsed;
            results.LoadAfter = LoadAverage();
            return results;
        }

        private void CheckSizes()
        {
            foreach (var size in options.Sizes)
            {
                var need = options.Warmup + options.Reps;
                if (size == options.ConcurrencySize)
                {
                    need += options.Threads.Max() + options.Threads.Sum() * options.PerThread;
                }
                if (size < need)
                {
                    throw new BenchException($"A registry of {size} aliases is too small: this run hands out {need} of them there. Use a larger size or fewer --reps/--per-thread.");
                }
            }
        }

        // ------------------------------------------------------------------ 2. provisioning

        /// <summary>
        /// New-AwsRootAlias -Count n versus the reference set-up: one Set-Mailbox -EmailAddresses @{Add=...} through the
        /// engine and one table insert per alias. Each repetition uses fresh tables and fresh mailboxes.
        /// </summary>
        private void ProvisionComparison()
        {
            var count = options.ProvisionCount;
            var mailboxes = (count + MailboxCapacity - 1) / MailboxCapacity;
            for (var rep = 1; rep <= options.ProvisionReps; rep++)
            {
                Log($"Provisioning {count} aliases, repetition {rep} of {options.ProvisionReps} ...");
                var r = new ProvisionResult { Count = count, Mailboxes = mailboxes };

                // RootMail
                var rmTable = $"rmprov{rep}";
                main.ConnectRegistry(ConnectionString, rmTable);
                SetPool();
                CreatePoolMailboxes($"rmprov{rep}", mailboxes);
                main.ResetExchangeStatistics();
                var call = main.Run(ps => ps.AddCommand("New-AwsRootAlias").AddParameter("Count", count).AddParameter("Verbose", true).AddCommand("Out-Null"))
                    .Check($"New-AwsRootAlias -Count {count}");
                r.RootMailMs = call.Milliseconds;
                r.RootMailRequests = call.Requests ?? throw new BenchException("New-AwsRootAlias wrote no cost line.");
                r.RootMailExchangeOwn = call.ExchangeCommands ?? -1;
                r.RootMailExchange = main.ResetExchangeStatistics();
                if (r.RootMailExchange.AddressesAdded != count)
                {
                    throw new BenchException($"RootMail added {r.RootMailExchange.AddressesAdded} addresses in Exchange, not {count}.");
                }

                // The reference set-up
                var reference = new ReferenceDesign(ConnectionString, $"refprov{rep}");
                reference.Create();
                var names = new List<string>();
                for (var i = 0; i < mailboxes; i++)
                {
                    var name = $"refprov{rep}-{i:000}";
                    main.Run(ps => ps.AddCommand("New-Mailbox").AddParameter("Shared", true).AddParameter("Name", name)
                        .AddParameter("PrimarySmtpAddress", $"{name}@{PsEngine.Domain}").AddCommand("Out-Null")).Check("New-Mailbox " + name);
                    names.Add(name);
                }
                main.ResetExchangeStatistics();
                var before = reference.Requests;
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < count; i++)
                {
                    var address = ReferenceDesign.NewAddress();
                    var mailbox = names[i / MailboxCapacity];
                    var add = new Hashtable { ["Add"] = "smtp:" + address };
                    main.Run(ps => ps.AddCommand("Set-Mailbox").AddParameter("Identity", $"{mailbox}@{PsEngine.Domain}").AddParameter("EmailAddresses", add))
                        .Check("Set-Mailbox");
                    reference.Insert(ReferenceDesign.NewRow(i, address, mailbox));
                }
                clock.Stop();
                r.BaselineMs = clock.Elapsed.TotalMilliseconds;
                r.BaselineRequests = reference.Requests - before;
                r.BaselineExchange = main.ResetExchangeStatistics();
                results.Provision.Add(r);
                Log($"  RootMail {r.RootMailMs:0} ms, {r.RootMailRequests} requests, {r.RootMailExchange.SetMailbox} Set-Mailbox; " +
                    $"baseline {r.BaselineMs:0} ms, {r.BaselineRequests} requests, {r.BaselineExchange.SetMailbox} Set-Mailbox");

                reference.Delete();
                DeleteTable(rmTable);
            }
        }

        // ------------------------------------------------------------------ one registry size: 1, 3, 4, 5

        private void SizeRound(int size)
        {
            var rmTable = $"rm{size}";
            var reference = new ReferenceDesign(ConnectionString, $"ref{size}");
            Seed(size, rmTable, reference);

            var rmHanded = new List<(string Address, string Requester)>();
            var refHanded = new List<(ReferenceDesign.Handed Row, string Requester)>();
            HandOuts(size, reference, rmHanded, refHanded);
            Lookups(size, reference, rmHanded, refHanded);
            var rmAddresses = rmHanded.Select(h => h.Address).ToList();
            if (size == options.ConcurrencySize)
            {
                rmAddresses.AddRange(Race(size, rmTable, reference));
            }
            results.RootMailHandOutTotals.Add((size, rmAddresses.Count, rmAddresses.Distinct(StringComparer.OrdinalIgnoreCase).Count()));
            Diagnostics(size, rmTable, reference, rmHanded[0].Address, listing: size == options.LargestSize);
            if (size == options.LargestSize)
            {
                Streaming(size, reference);
            }

            Log($"Deleting the tables of size {size} ...");
            main.Run(ps => ps.AddCommand("Disconnect-AwsRootRegistry"));
            reference.Delete();
            DeleteTable(rmTable);
        }

        /// <summary>
        /// RootMail: a pool with ceil(size/300) mailboxes of capacity 300 (New-AwsRootMailbox) and New-AwsRootAlias
        /// -Count size (in calls of at most 20,000), all through the engine. Baseline: size free rows written in
        /// transactions of 100.
        /// </summary>
        private void Seed(int size, string rmTable, ReferenceDesign reference)
        {
            var mailboxes = (size + MailboxCapacity - 1) / MailboxCapacity;
            var seed = new SeedResult { Size = size, Mailboxes = mailboxes };
            Log($"Size {size}: seeding RootMail ({mailboxes} mailboxes, New-AwsRootAlias -Count {size}) ...");
            main.ConnectRegistry(ConnectionString, rmTable);
            SetPool();
            CreatePoolMailboxes($"rm{size}", mailboxes);
            main.ResetExchangeStatistics();
            var left = size;
            while (left > 0)
            {
                var n = Math.Min(left, MaxProvisionPerCall);
                var call = main.Run(ps => ps.AddCommand("New-AwsRootAlias").AddParameter("Count", n).AddParameter("Verbose", true).AddCommand("Out-Null"))
                    .Check($"New-AwsRootAlias -Count {n}");
                seed.RootMailSeconds += call.Milliseconds / 1000;
                seed.RootMailRequests += call.Requests ?? 0;
                left -= n;
            }
            var stats = main.ResetExchangeStatistics();
            seed.RootMailSetMailbox = stats.SetMailbox;
            if (stats.AddressesAdded != size)
            {
                throw new BenchException($"RootMail provisioned {stats.AddressesAdded} addresses, not {size}.");
            }
            Log($"  RootMail: {seed.RootMailSeconds:0.0} s, {seed.RootMailRequests} registry requests, {seed.RootMailSetMailbox} Set-Mailbox");

            var clock = Stopwatch.StartNew();
            reference.Create();
            reference.Seed(size, 0, MailboxCapacity, i => $"ref{size}-{i:000}");
            seed.BaselineSeconds = clock.Elapsed.TotalSeconds;
            Log($"  baseline: {seed.BaselineSeconds:0.0} s");
            results.Seeds.Add(seed);
        }

        /// <summary>
        /// 1. Sequential hand-outs, RootMail and baseline alternating. The warm-up goes on until every claim window of the
        /// new pool has been filled once (the state of a pool in use; a pool too small for that gets the plain warm-up),
        /// then the measured repetitions: more than for the other measurements, so refills show in the mean at their
        /// real rate, never so many that the smallest pool runs dry. Hand-outs that refilled a window are also timed apart.
        /// </summary>
        private void HandOuts(int size, ReferenceDesign reference, List<(string, string)> rmHanded, List<(ReferenceDesign.Handed, string)> refHanded)
        {
            var warmupCap = Math.Max(options.Warmup, size / 5);
            var reps = Math.Max(1, Math.Min(options.HandOutReps, size - warmupCap - 10));
            Log($"Size {size}: warm-up until {ClaimWindows} claim windows are filled (at most {warmupCap}), then {reps} hand-outs each ...");
            var r = new HandOutResult { Size = size };
            var refills = 0;
            var measured = 0;
            for (var i = 0; measured < reps; i++)
            {
                var requester = Requester(i);
                var call = main.Run(ps => ps.AddCommand("New-AwsRootAlias").AddParameter("RequestedBy", requester).AddParameter("Verbose", true))
                    .Check("New-AwsRootAlias -RequestedBy");
                var address = call.Property(0, "Address") ?? throw new BenchException("New-AwsRootAlias returned no alias.");
                rmHanded.Add((address, requester));

                var before = reference.Requests;
                var clock = Stopwatch.StartNew();
                var row = reference.HandOut(requester) ?? throw new BenchException("The baseline found no free row.");
                clock.Stop();
                refHanded.Add((row, requester));

                if ((call.Queries ?? 0) > 0)
                {
                    refills++;
                    r.RootMailRefillMs.Add(call.Milliseconds);
                }
                if (i >= options.Warmup && (refills >= ClaimWindows || i >= warmupCap))
                {
                    if (measured++ == 0) r.WarmupHandOuts = i;
                    r.RootMailMs.Add(call.Milliseconds);
                    r.RootMailRequests.Add(call.Requests ?? double.NaN);
                    r.RootMailQueries.Add(call.Queries ?? double.NaN);
                    r.RootMailExchange.Add(call.ExchangeCommands ?? double.NaN);
                    r.BaselineMs.Add(clock.Elapsed.TotalMilliseconds);
                    r.BaselineRequests.Add(reference.Requests - before);
                }
            }
            results.HandOuts.Add(r);
            Log($"  RootMail median {r.RootMailMs.Median:0.0} ms, mean {r.RootMailMs.Mean:0.0} ms ({r.RootMailRequests.Median} requests, {r.RootMailQueries.Sum} queries in {r.RootMailQueries.Count} hand-outs), baseline median {r.BaselineMs.Median:0.0} ms, mean {r.BaselineMs.Mean:0.0} ms ({r.BaselineRequests.Median} requests)");
        }

        /// <summary>Claim windows per pool (AliasOperations.WindowCount): the warm-up fills each once.</summary>
        private const int ClaimWindows = 16;

        /// <summary>3. Lookups by address, AWS account ID and requester, after registering some of the handed-out aliases on both sides.</summary>
        private void Lookups(int size, ReferenceDesign reference, List<(string Address, string Requester)> rmHanded, List<(ReferenceDesign.Handed Row, string Requester)> refHanded)
        {
            var registered = Math.Min(Registrations, rmHanded.Count);
            var rmAccounts = new List<(string Address, string Account)>();
            var refAccounts = new List<(string Address, string Account)>();
            for (var i = 0; i < registered; i++)
            {
                var account = (100000000000L + i).ToString(CultureInfo.InvariantCulture);
                var address = rmHanded[i].Address;
                main.Run(ps => ps.AddCommand("Register-AwsAccountAlias").AddParameter("Address", address).AddParameter("AccountId", account).AddCommand("Out-Null"))
                    .Check("Register-AwsAccountAlias");
                rmAccounts.Add((address, account));
                reference.Register(refHanded[i].Row.RowKey, account);
                refAccounts.Add((refHanded[i].Row.Address, account));
            }

            var kinds = new (string Kind, Func<int, PsCall> RootMail, Func<int, int> Baseline)[]
            {
                ("address",
                    i => main.Run(ps => ps.AddCommand("Get-AwsRootAlias").AddParameter("Address", rmHanded[i % rmHanded.Count].Address).AddParameter("Verbose", true)),
                    i => reference.FindBy("aws_mail", refHanded[i % refHanded.Count].Row.Address).Count),
                ("AWS account ID",
                    i => main.Run(ps => ps.AddCommand("Get-AwsRootAlias").AddParameter("AccountId", rmAccounts[i % rmAccounts.Count].Account).AddParameter("Verbose", true)),
                    i => reference.FindBy("aws_account_id", refAccounts[i % refAccounts.Count].Account).Count),
                ("requester",
                    i => main.Run(ps => ps.AddCommand("Get-AwsRootAlias").AddParameter("RequestedBy", Requester(i)).AddParameter("Verbose", true)),
                    i => reference.FindBy("user_mail", Requester(i)).Count),
            };
            foreach (var (kind, rootMail, baseline) in kinds)
            {
                var r = new LookupResult { Size = size, Kind = kind };
                for (var i = 0; i < options.Warmup + options.Reps; i++)
                {
                    var call = rootMail(i).Check("Get-AwsRootAlias by " + kind);
                    var before = reference.Requests;
                    var clock = Stopwatch.StartNew();
                    var rows = baseline(i);
                    clock.Stop();
                    if (i < options.Warmup)
                    {
                        continue;
                    }
                    r.RootMailMs.Add(call.Milliseconds);
                    r.RootMailRequests.Add(call.Requests ?? double.NaN);
                    r.RootMailRows.Add(call.Output.Count);
                    r.BaselineMs.Add(clock.Elapsed.TotalMilliseconds);
                    r.BaselineRequests.Add(reference.Requests - before);
                    r.BaselineRows.Add(rows);
                }
                results.Lookups.Add(r);
                Log($"Size {size}: lookup by {kind}: RootMail median {r.RootMailMs.Median:0.0} ms ({r.RootMailRequests.Median} requests), baseline median {r.BaselineMs.Median:0.0} ms");
            }
        }

        /// <summary>
        /// 4. k runspaces (RootMail) and k threads (baseline) hand out aliases at once, for each k. Returns the addresses
        /// RootMail handed out (warm-ups included) for the run-wide duplicate check.
        /// </summary>
        private List<string> Race(int size, string rmTable, ReferenceDesign reference)
        {
            var handed = new List<string>();
            var max = options.Threads.Max();
            Log($"Size {size}: opening {max} runspaces for the concurrency test ...");
            var engines = new List<PsEngine>();
            var clients = new List<ReferenceDesign>();
            try
            {
                for (var t = 0; t < max; t++)
                {
                    var engine = PsEngine.Open();
                    engines.Add(engine);
                    engine.ConnectRegistry(ConnectionString, rmTable);
                    // Warm-up: one hand-out per runspace and per baseline client (JIT, connections).
                    var warm = engine.Run(ps => ps.AddCommand("New-AwsRootAlias").AddParameter("RequestedBy", "warmup@" + PsEngine.Domain)).Check("New-AwsRootAlias (warm-up)");
                    handed.Add(warm.Property(0, "Address")!);
                    var client = new ReferenceDesign(ConnectionString, reference.TableName);
                    clients.Add(client);
                    client.HandOut("warmup@" + PsEngine.Domain);
                }

                foreach (var k in options.Threads)
                {
                    var r = new ConcurrencyResult { Size = size, Threads = k, PerThread = options.PerThread };
                    Log($"  {k} at once, {options.PerThread} hand-outs each ...");

                    var rm = RunRace(k, t =>
                    {
                        var requester = $"race{k}-{t}@{PsEngine.Domain}";
                        var call = engines[t].Run(ps => ps.AddCommand("New-AwsRootAlias").AddParameter("RequestedBy", requester).AddParameter("Verbose", true));
                        return new Attempt(requester, call.Property(0, "Address"), call.Milliseconds, call.Requests, call.Failed ? call.Errors[0] : null);
                    }, r.RootMail);
                    var rmRecorded = Recorded(main, rmTable);
                    Tally(r.RootMail, rm, rmRecorded);
                    handed.AddRange(rm.Where(a => a.Address != null).Select(a => a.Address!));

                    var baseline = RunRace(k, t =>
                    {
                        var requester = $"race{k}-{t}@{PsEngine.Domain}";
                        var client = clients[t];
                        var before = client.Requests;
                        var clock = Stopwatch.StartNew();
                        try
                        {
                            var row = client.HandOut(requester);
                            clock.Stop();
                            return new Attempt(requester, row?.Address, clock.Elapsed.TotalMilliseconds, client.Requests - before, row == null ? "no free row" : null);
                        }
                        catch (Exception ex)
                        {
                            return new Attempt(requester, null, clock.Elapsed.TotalMilliseconds, client.Requests - before, ex.GetType().Name + ": " + FirstLine(ex.Message));
                        }
                    }, r.Baseline);
                    Tally(r.Baseline, baseline, reference.InUse());

                    results.Concurrency.Add(r);
                    Log($"    RootMail {r.RootMail.Throughput:0.0}/s, {r.RootMail.DuplicatedAddresses} duplicated, {r.RootMail.Errors} errors; " +
                        $"baseline {r.Baseline.Throughput:0.0}/s, {r.Baseline.DuplicatedAddresses} duplicated addresses, {r.Baseline.ExtraHandOuts} extra hand-outs");
                }
            }
            finally
            {
                foreach (var engine in engines)
                {
                    engine.Dispose();
                }
            }
            return handed;
        }

        private sealed record Attempt(string Requester, string? Address, double Ms, long? Requests, string? Error);

        /// <summary>k threads, released together, each making PerThread attempts; the wall time is from release to the last finish.</summary>
        private List<Attempt> RunRace(int k, Func<int, Attempt> attempt, RaceSide side)
        {
            var all = new ConcurrentBag<Attempt>();
            using var ready = new CountdownEvent(k);
            using var go = new ManualResetEventSlim(false);
            var threads = Enumerable.Range(0, k).Select(t => new Thread(() =>
            {
                ready.Signal();
                go.Wait();
                for (var m = 0; m < options.PerThread; m++)
                {
                    all.Add(attempt(t));
                }
            }) { IsBackground = true, Name = "race " + t }).ToList();
            threads.ForEach(t => t.Start());
            ready.Wait();
            var clock = Stopwatch.StartNew();
            go.Set();
            threads.ForEach(t => t.Join());
            side.WallMs = clock.Elapsed.TotalMilliseconds;
            return all.ToList();
        }

        /// <summary>Counts successes, errors, addresses returned to several callers, and callers the registry does not record as the requester.</summary>
        private static void Tally(RaceSide side, List<Attempt> attempts, IReadOnlyDictionary<string, string> recorded)
        {
            side.Attempts = attempts.Count;
            foreach (var a in attempts)
            {
                side.LatencyMs.Add(a.Ms);
                if (a.Requests is long n)
                {
                    side.Requests.Add(n);
                }
                if (a.Error != null || a.Address == null)
                {
                    side.Errors++;
                    side.FirstError ??= a.Error;
                }
            }
            var ok = attempts.Where(a => a.Error == null && a.Address != null).ToList();
            side.Succeeded = ok.Count;
            var groups = ok.GroupBy(a => a.Address!, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();
            side.DuplicatedAddresses = groups.Count;
            side.ExtraHandOuts = groups.Sum(g => g.Count() - 1);
            side.NotRecorded = ok.Count(a => !recorded.TryGetValue(a.Address!, out var who) || !string.Equals(who, a.Requester, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>RootMail's Assigned aliases and their requesters, read back through Get-AwsRootAlias -Status Assigned.</summary>
        private static Dictionary<string, string> Recorded(PsEngine engine, string table)
        {
            var call = engine.Run(ps => ps.AddCommand("Get-AwsRootAlias").AddParameter("Status", "Assigned")).Check("Get-AwsRootAlias -Status Assigned");
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var o in call.Output)
            {
                map[o.Properties["Address"].Value.ToString()!] = o.Properties["RequestedBy"].Value?.ToString() ?? "";
            }
            return map;
        }

        /// <summary>
        /// Where the time goes: RootMail's own queries sent with Azure.Data.Tables directly (no PowerShell, no RootMail
        /// code), next to the baseline's, and a one-point-read command through the engine next to the same point read sent
        /// directly. The row keys are those docs/registry.md describes. The listing query only at the largest size.
        /// </summary>
        private void Diagnostics(int size, string rmTable, ReferenceDesign reference, string address, bool listing)
        {
            Log($"Size {size}: diagnostics ...");
            var direct = new TableClient(ConnectionString, rmTable);
            var available = TableClient.CreateQueryFilter($"PartitionKey eq {"rootmail"} and RowKey ge {"avail|default|"} and RowKey lt {"avail|default}"} and Queued eq {false}");
            var listingFilter = TableClient.CreateQueryFilter($"PartitionKey eq {"rootmail"} and RowKey ge {"alias|"} and RowKey lt {"alias}"}") + " and (" + TableClient.CreateQueryFilter($"Pool eq {"default"}") + ")";
            var firstFree = TableClient.CreateQueryFilter($"PartitionKey eq {ReferenceDesign.Partition} and in_use eq {false}");
            var referenceDirect = new TableClient(ConnectionString, reference.TableName);

            var n = 0;
            var rows = new (string What, Func<double> Measure)[]
            {
                ("RootMail's refill query alone: the first page of up to 1,000 rows under `avail|default|` with `Queued eq false`, run only when a claim window is empty (Azure.Data.Tables directly)", () =>
                {
                    var clock = Stopwatch.StartNew();
                    var page = direct.Query<TableEntity>(available, 1000).AsPages(null, 1000).First();
                    return page.Values.Count == 0 ? double.NaN : clock.Elapsed.TotalMilliseconds;
                }),
                ("RootMail's claim-window read alone: one point read of `ready|default|<nn>` (Azure.Data.Tables directly)", () =>
                {
                    var clock = Stopwatch.StartNew();
                    direct.GetEntityIfExists<TableEntity>("rootmail", "ready|default|" + (n++ % 16).ToString("D2", CultureInfo.InvariantCulture));
                    return clock.Elapsed.TotalMilliseconds;
                }),
                ("the baseline's query alone: the first row with `in_use eq false`", () =>
                {
                    var clock = Stopwatch.StartNew();
                    var row = referenceDirect.Query<TableEntity>(firstFree, 1).FirstOrDefault();
                    return row == null ? double.NaN : clock.Elapsed.TotalMilliseconds;
                }),
                ("`Get-AwsRootAlias -Address` through the engine (one point read)", () =>
                    main.Run(ps => ps.AddCommand("Get-AwsRootAlias").AddParameter("Address", address)).Check("Get-AwsRootAlias -Address").Milliseconds),
                ("the same point read (`alias|<address>`) with Azure.Data.Tables directly", () =>
                {
                    var clock = Stopwatch.StartNew();
                    direct.GetEntity<TableEntity>("rootmail", "alias|" + address);
                    return clock.Elapsed.TotalMilliseconds;
                }),
            };
            // A write like RootMail's claim and one like the baseline's update, on a scratch table (point writes use Azurite's index).
            var scratch = new TableClient(ConnectionString, $"scratch{size}");
            scratch.CreateIfNotExists();
            rows = rows.Concat(new (string, Func<double>)[]
            {
                ("a transaction shaped like RootMail's claim (delete under ETag, replace, upsert: 3 actions; scratch table, Azure.Data.Tables directly)", () =>
                {
                    var key = (n++).ToString("D6", CultureInfo.InvariantCulture);
                    var available = scratch.AddEntity(new TableEntity("p", "avail|" + key) { ["Status"] = "Available" });
                    scratch.AddEntity(new TableEntity("p", "alias|" + key) { ["Status"] = "Available" });
                    var clock = Stopwatch.StartNew();
                    scratch.SubmitTransaction(new[]
                    {
                        new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("p", "avail|" + key), available.Headers.ETag!.Value),
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, new TableEntity("p", "alias|" + key) { ["Status"] = "Assigned" }, Azure.ETag.All),
                        new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", "req|" + key) { ["RequestedBy"] = "x" }),
                    });
                    return clock.Elapsed.TotalMilliseconds;
                }),
                ("an update shaped like the baseline's (merge, ETag `*`; scratch table, Azure.Data.Tables directly)", () =>
                {
                    var key = (n++).ToString("D6", CultureInfo.InvariantCulture);
                    scratch.AddEntity(new TableEntity("p", "row|" + key) { ["in_use"] = false });
                    var clock = Stopwatch.StartNew();
                    scratch.UpdateEntity(new TableEntity("p", "row|" + key) { ["in_use"] = true, ["user_mail"] = "x" }, Azure.ETag.All, TableUpdateMode.Merge);
                    return clock.Elapsed.TotalMilliseconds;
                }),
            }).ToArray();
            foreach (var (what, measure) in rows)
            {
                var samples = new Samples();
                for (var i = 0; i < options.Warmup + options.Reps; i++)
                {
                    var ms = measure();
                    if (i >= options.Warmup)
                    {
                        samples.Add(ms);
                    }
                }
                results.Diagnostics.Add((size, what, samples));
                Log($"  {what}: median {Report.Ms(samples.Median)}");
            }
            scratch.Delete();
            if (!listing)
            {
                return;
            }

            var list = new Samples();
            long count = 0;
            for (var rep = 0; rep < options.StreamReps; rep++)
            {
                var clock = Stopwatch.StartNew();
                count = direct.Query<TableEntity>(listingFilter).LongCount();
                list.Add(clock.Elapsed.TotalMilliseconds);
            }
            var text = $"RootMail's listing query (`alias|` range and `Pool eq 'default'`, as `Get-AwsRootAlias` sends it), all {count:N0} rows, with Azure.Data.Tables directly";
            results.Diagnostics.Add((size, text, list));
            Log($"  {text}: median {Report.Ms(list.Median)}");
        }

        /// <summary>5. Get-AwsRootAlias over the whole pool, streamed and collected into a variable; the baseline reads its table with the SDK.</summary>
        private void Streaming(int size, ReferenceDesign reference)
        {
            Log($"Size {size}: streaming the whole pool, {options.StreamReps} times each ...");
            var streamed = new StreamResult { What = "Get-AwsRootAlias, streamed (output consumed as it comes)", Side = "RootMail" };
            var buffered = new StreamResult { What = "$all = Get-AwsRootAlias (collected into a variable)", Side = "RootMail" };
            var sdk = new StreamResult { What = "baseline: all rows of the reference table, Azure.Data.Tables query, page by page", Side = "baseline" };
            for (var rep = 0; rep < options.StreamReps; rep++)
            {
                // streamed
                {
                    var clock = new Stopwatch();
                    var sink = new CountingSink(clock);
                    PsCall call;
                    using (var memory = MemorySampler.Start())
                    {
                        clock.Start();
                        call = main.Run(ps => ps.AddCommand("Get-AwsRootAlias").AddParameter("Verbose", true), sink).Check("Get-AwsRootAlias");
                        clock.Stop();
                        Record(streamed, memory);
                    }
                    streamed.Ms.Add(call.Milliseconds);
                    streamed.FirstMs.Add(sink.FirstAt ?? double.NaN);
                    streamed.Requests.Add(call.Requests ?? double.NaN);
                    streamed.Objects = sink.Received;
                }
                // collected
                {
                    PsCall call;
                    using (var memory = MemorySampler.Start())
                    {
                        call = main.Run(ps => ps.AddScript("$all = @(Get-AwsRootAlias -Verbose); $all.Count; $all = $null")).Check("$all = Get-AwsRootAlias");
                        Record(buffered, memory);
                    }
                    buffered.Ms.Add(call.Milliseconds);
                    buffered.Requests.Add(call.Requests ?? double.NaN);
                    buffered.Objects = Convert.ToInt64(call.Output.Single().BaseObject, CultureInfo.InvariantCulture);
                }
                // baseline
                {
                    var clock = Stopwatch.StartNew();
                    double? first = null;
                    long n;
                    var before = reference.Requests;
                    using (var memory = MemorySampler.Start())
                    {
                        clock.Restart();
                        n = reference.ReadAll(i => first ??= clock.Elapsed.TotalMilliseconds);
                        clock.Stop();
                        Record(sdk, memory);
                    }
                    sdk.Ms.Add(clock.Elapsed.TotalMilliseconds);
                    sdk.FirstMs.Add(first ?? double.NaN);
                    sdk.Requests.Add(reference.Requests - before);
                    sdk.Objects = n;
                }
            }
            results.Streams.AddRange(new[] { streamed, buffered, sdk });
            foreach (var s in new[] { streamed, buffered, sdk })
            {
                Log($"  {s.What}: {s.Objects} objects, median {s.Ms.Median / 1000:0.00} s, peak heap +{s.PeakHeapGrowth / 1048576.0:0} MiB");
            }
        }

        private static void Record(StreamResult r, MemorySampler memory)
        {
            r.PeakHeapGrowth = Math.Max(r.PeakHeapGrowth, memory.HeapGrowth);
            r.PeakAfterGcGrowth = Math.Max(r.PeakAfterGcGrowth, memory.AfterGcGrowth);
            r.PeakWorkingSetGrowth = Math.Max(r.PeakWorkingSetGrowth, memory.WorkingSetGrowth);
        }

        // ------------------------------------------------------------------ helpers

        private static string Requester(int i) => $"requester{i % Requesters}@{PsEngine.Domain}";

        private void SetPool()
            => main.Run(ps => ps.AddCommand("Set-AwsRootPool").AddParameter("Domain", PsEngine.Domain).AddParameter("MailboxCapacity", MailboxCapacity))
                .Check("Set-AwsRootPool");

        /// <summary>Pool mailboxes prefix-000, prefix-001 ... through New-AwsRootMailbox, in one script.</summary>
        private void CreatePoolMailboxes(string prefix, int count)
            => main.Run(ps => ps.AddScript(
                    "param($prefix, $count, $domain) for ($i = 0; $i -lt $count; $i++) { $name = '{0}-{1:000}' -f $prefix, $i; " +
                    "New-AwsRootMailbox -Name $name -PrimarySmtpAddress \"$name@$domain\" -ErrorAction Stop | Out-Null }")
                    .AddArgument(prefix).AddArgument(count).AddArgument(PsEngine.Domain))
                .Check($"New-AwsRootMailbox x {count}");

        private void DeleteTable(string table) => new TableClient(ConnectionString, table).Delete();

        private static string FirstLine(string text) => text.Split('\n')[0].Trim();

        private void Log(string message)
        {
            var t = runClock.Elapsed;
            Console.Error.WriteLine($"[{(int)t.TotalMinutes:00}:{t.Seconds:00}] {message}");
        }

        private static string LoadAverage()
        {
            try
            {
                return File.ReadAllText("/proc/loadavg").Split(' ')[0];
            }
            catch (Exception)
            {
                return "?";
            }
        }

        private static string AzuriteVersion()
        {
            try
            {
                var json = File.ReadAllText(Path.Combine(RepoLayout.AzuriteDir, "node_modules", "azurite", "package.json"));
                using var doc = JsonDocument.Parse(json);
                return doc.RootElement.GetProperty("version").GetString() ?? AzuriteServer.PinnedVersion;
            }
            catch (Exception)
            {
                return AzuriteServer.PinnedVersion;
            }
        }

        private MachineInfo Machine()
        {
            var cpu = "";
            var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0;
            var os = RuntimeInformation.OSDescription;
            try
            {
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "";
                var total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
                if (total != null)
                {
                    memory = long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1048576.0;
                }
                var pretty = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
                if (pretty != null)
                {
                    os = pretty.Substring("PRETTY_NAME=".Length).Trim('"') + ", Linux " + File.ReadAllText("/proc/sys/kernel/osrelease").Trim() + ", " + RuntimeInformation.OSArchitecture;
                }
            }
            catch (Exception)
            {
                // not Linux: keep what the runtime says
            }
            var node = "";
            try
            {
                var psi = new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false };
                using var p = Process.Start(psi)!;
                node = p.StandardOutput.ReadToEnd().Trim();
                p.WaitForExit();
            }
            catch (Exception)
            {
                node = "?";
            }
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            return new MachineInfo(Environment.ProcessorCount, cpu, memory, os, RuntimeInformation.FrameworkDescription,
                main.EngineVersion(), main.ModuleVersion("RootMail"), main.ModuleVersion("RootMail.Simulator"), AzuriteVersion(), node, configuration);
        }
    }
}
