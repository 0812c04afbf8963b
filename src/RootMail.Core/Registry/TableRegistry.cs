using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace RootMail.Registry
{
    /// <summary>
    /// The registry table: point reads, prefix queries and entity-group transactions in the one RootMail partition.
    /// Retries of transient failures are the Azure SDK's own retry policy; every HTTP request is counted so that
    /// round trips can be reported. Azure exceptions are turned into RootMail errors here and nowhere else.
    /// </summary>
    internal sealed class TableRegistry
    {
        readonly TableClient _table;
        readonly RequestCounter _counter;

        TableRegistry(TableClient table, RequestCounter counter)
        {
            _table = table;
            _counter = counter;
        }

        public string TableName => _table.Name;
        public Uri Endpoint => _table.Uri;
        /// <summary>The storage account's table service, with the registry's credential: Import-AwsRootRegistry reads a source table of the same account through it.</summary>
        public TableServiceClient? Service { get; private set; }
        public string AccountName => _table.AccountName;

        /// <summary>HTTP requests sent to the table service so far (retries included).</summary>
        public long RequestCount => Interlocked.Read(ref _counter.Count);
        public long QueryCount => Interlocked.Read(ref _counter.Queries);

        public static TableClientOptions NewOptions(RequestCounter counter)
        {
            var options = new TableClientOptions();
            options.Diagnostics.IsLoggingContentEnabled = false;
            options.Diagnostics.IsLoggingEnabled = false;
            options.Diagnostics.IsDistributedTracingEnabled = false;
            options.Retry.MaxRetries = 4;
            options.Retry.Mode = RetryMode.Exponential;
            options.Retry.Delay = TimeSpan.FromMilliseconds(400);
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
            options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
            return options;
        }

        /// <summary>Creates the table if missing and checks (or writes) the schema version.</summary>
        public static TableRegistry Open(TableServiceClient service, string tableName, RequestCounter counter, CancellationToken cancel)
        {
            var table = service.GetTableClient(tableName);
            var registry = new TableRegistry(table, counter) { Service = service };
            registry.Call("creating the registry table", () =>
            {
                try { table.CreateIfNotExists(cancel); }
                catch (RequestFailedException ex) when (ex.Status == 403)
                {
                    // An identity scoped to one existing table may not create tables; reading the schema row tells whether it can work.
                }
                return 0;
            });
            var meta = registry.Get<MetaRow>(Keys.Meta, cancel);
            if (meta is null)
            {
                try { registry.Insert(new MetaRow { RowKey = Keys.Meta, SchemaVersion = Keys.SchemaVersion, CreatedAt = DateTimeOffset.UtcNow }, cancel); }
                catch (RegistryConflictException) { meta = registry.Get<MetaRow>(Keys.Meta, cancel); }
            }
            if (meta != null && meta.SchemaVersion > Keys.SchemaVersion)
                throw Errors.RegistrySchemaUnsupported(tableName, meta.SchemaVersion, Keys.SchemaVersion);
            return registry;
        }

        public T? Get<T>(string rowKey, CancellationToken cancel) where T : class, ITableEntity, new()
            => Call("reading " + Describe(rowKey), () =>
            {
                var response = _table.GetEntityIfExists<T>(Keys.Partition, rowKey, cancellationToken: cancel);
                return response.HasValue ? response.Value : null;
            });

        /// <summary>Rows whose key starts with the prefix, lazily, page by page (an optional OData filter is built only with <see cref="Filter"/>).</summary>
        public IEnumerable<T> Query<T>(string prefix, string? filter, int? pageSize, CancellationToken cancel) where T : class, ITableEntity, new()
            => QueryRange<T>(prefix, Keys.PrefixEnd(prefix), filter, pageSize, cancel);

        /// <summary>Rows with keys from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive), lazily.</summary>
        public IEnumerable<T> QueryRange<T>(string start, string end, string? filter, int? pageSize, CancellationToken cancel) where T : class, ITableEntity, new()
        {
            var text = RangeFilter(start, end, filter);
            var pages = Call("querying " + Describe(start), () => _table.Query<T>(text, pageSize, cancellationToken: cancel).AsPages().GetEnumerator());
            while (Call("querying " + Describe(start), () => pages.MoveNext()))
                foreach (var row in pages.Current.Values) yield return row;
        }

        /// <summary>
        /// Rows by key, as point reads sent together (up to 16 at a time), in the order given; missing keys are skipped.
        /// Point reads, because Azure Tables turns an OR of row keys into a partition scan.
        /// </summary>
        public IEnumerable<T> GetMany<T>(IEnumerable<string> rowKeys, CancellationToken cancel) where T : class, ITableEntity, new()
        {
            const int Together = 16;
            foreach (var batch in rowKeys.Select((key, i) => (key, i)).GroupBy(x => x.i / Together, x => x.key))
            {
                var reads = batch.Select(key => _table.GetEntityIfExistsAsync<T>(Keys.Partition, key, cancellationToken: cancel)).ToList();
                var rows = Call("reading " + Describe(batch.First()), () => System.Threading.Tasks.Task.WhenAll(reads).GetAwaiter().GetResult());
                foreach (var response in rows) if (response.HasValue) yield return response.Value!;
            }
        }

        /// <summary>The first page of rows under a prefix (one round trip); with a filter it may hold fewer rows than match.</summary>
        public IReadOnlyList<T> FirstPage<T>(string prefix, int pageSize, string? filter, CancellationToken cancel) where T : class, ITableEntity, new()
        {
            var text = RangeFilter(prefix, Keys.PrefixEnd(prefix), filter);
            return Call("querying " + Describe(prefix), () =>
            {
                var page = _table.Query<T>(text, pageSize, cancellationToken: cancel).AsPages(null, pageSize).FirstOrDefault();
                return page?.Values ?? (IReadOnlyList<T>)Array.Empty<T>();
            });
        }

        /// <summary>An OData comparison with the value escaped by the SDK.</summary>
        public static string Filter(FormattableString filter) => TableClient.CreateQueryFilter(filter);

        /// <summary>The RootMail partition's rows with keys from start (inclusive) to end (exclusive), and the filter if any.</summary>
        static string RangeFilter(string start, string end, string? filter)
        {
            var range = TableClient.CreateQueryFilter($"PartitionKey eq {Keys.Partition} and RowKey ge {start} and RowKey lt {end}");
            return string.IsNullOrEmpty(filter) ? range : range + " and (" + filter + ")";
        }

        public void Insert(ITableEntity row, CancellationToken cancel)
            => Call("writing " + Describe(row.RowKey), () => _table.AddEntity(row, cancel));

        /// <summary>Runs the actions as one entity-group transaction: all or nothing (at most 100 actions).</summary>
        /// <returns>The new ETag of each action's row, in order (default for deletes).</returns>
        public IReadOnlyList<ETag> Submit(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancel)
        {
            if (actions.Count == 0) return Array.Empty<ETag>();
            return Call("writing " + Describe(actions[0].Entity.RowKey), () =>
            {
                var responses = _table.SubmitTransaction(actions, cancel).Value;
                var etags = new ETag[actions.Count];
                for (int i = 0; i < actions.Count && i < responses.Count; i++) etags[i] = responses[i].Headers.ETag ?? default;
                return (IReadOnlyList<ETag>)etags;
            });
        }

        T Call<T>(string what, Func<T> action)
        {
            try { return action(); }
            catch (TableTransactionFailedException ex) when (IsConflict(ex.Status)) { throw new RegistryConflictException(ex.Status, ex.FailedTransactionActionIndex, ex); }
            catch (RequestFailedException ex) when (IsConflict(ex.Status)) { throw new RegistryConflictException(ex.Status, null, ex); }
            catch (RequestFailedException ex) when (ex.Status == 401 || ex.Status == 403) { throw Errors.RegistryAccessDenied(what, Clean(ex)); }
            catch (RequestFailedException ex) when (ex.Status == 0 || ex.Status == 408 || ex.Status >= 500) { throw Errors.RegistryUnavailable(what, Clean(ex)); }
            catch (RequestFailedException ex) { throw Errors.RegistryError(what, Clean(ex)); }
            catch (AggregateException ex) { throw Errors.RegistryUnavailable(what, Clean(ex)); }
            catch (Azure.Identity.CredentialUnavailableException ex) { throw Errors.RegistryAccessDenied(what, new Exception(FirstLine(ex.Message))); }
            catch (Azure.Identity.AuthenticationFailedException ex) { throw Errors.RegistryAccessDenied(what, new Exception(FirstLine(ex.Message))); }
        }

        void Call(string what, Action action) => Call(what, () => { action(); return 0; });

        static bool IsConflict(int status) => status == 409 || status == 412 || status == 404;

        /// <summary>A short, secret-free description of a storage failure (no headers, no URIs with signatures).</summary>
        static Exception Clean(Exception ex)
        {
            if (ex is RequestFailedException rfe)
                return new Exception(rfe.Status == 0 ? FirstLine(rfe.InnerException?.Message ?? rfe.Message) : $"status {rfe.Status} {rfe.ErrorCode}".TrimEnd() + ".");
            if (ex is AggregateException agg && agg.InnerExceptions.Count > 0)
                return new Exception(FirstLine(agg.InnerExceptions[agg.InnerExceptions.Count - 1].Message));
            return new Exception(FirstLine(ex.Message));
        }

        static string FirstLine(string message)
        {
            var line = message.Split('\n')[0].Trim();
            int q = line.IndexOf('?');
            return q >= 0 && line.IndexOf("sig=", StringComparison.OrdinalIgnoreCase) > 0 ? line.Substring(0, q) : line;
        }

        static string Describe(string rowKey)
        {
            var kind = rowKey.Split('|')[0];
            switch (kind)
            {
                case "alias": return "alias rows";
                case "avail": return "available aliases";
                case "mbx": return "mailbox rows";
                case "acct": return "account bindings";
                case "req": return "requester index";
                case "pool": return "pool settings";
                case "ready": return "claim windows";
                default: return "the registry";
            }
        }
    }

    /// <summary>Counts every HTTP request the table client sends, retries included, and among them the queries.</summary>
    internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        public long Count;
        /// <summary>Requests with a $filter: the ones a table service may answer by scanning.</summary>
        public long Queries;

        public override void OnSendingRequest(HttpMessage message)
        {
            Interlocked.Increment(ref Count);
            if (message.Request.Uri.Query.IndexOf("filter=", StringComparison.Ordinal) >= 0) Interlocked.Increment(ref Queries);
        }
    }
}
