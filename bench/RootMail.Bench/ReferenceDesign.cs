using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace RootMail.Bench
{
    /// <summary>
    /// The public reference design's registry, reimplemented faithfully as the baseline: one table, partition
    /// <c>root</c>, one row per alias with the columns <c>aws_mail</c>, <c>in_use</c>, <c>user_mail</c>,
    /// <c>root_mailbox</c> and <c>aws_account_id</c>; the row key is a running number. A hand-out queries the table for
    /// the first row with <c>in_use eq false</c> and then updates that row, unconditionally (no ETag): nothing stops two
    /// callers from taking the same row. Lookups filter on a column, which the table service answers by scanning the
    /// partition. Every HTTP request to the table service is counted (retries included), as RootMail counts its own.
    /// </summary>
    internal sealed class ReferenceDesign
    {
        public const string Partition = "root";

        private readonly TableClient table;
        private readonly RequestCounter counter = new RequestCounter();

        public ReferenceDesign(string connectionString, string tableName)
        {
            var options = new TableClientOptions();
            options.Diagnostics.IsLoggingEnabled = false;
            options.Diagnostics.IsLoggingContentEnabled = false;
            options.Diagnostics.IsDistributedTracingEnabled = false;
            options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
            table = new TableClient(connectionString, tableName, options);
        }

        public string TableName => table.Name;

        /// <summary>HTTP requests sent to the table service by this client so far.</summary>
        public long Requests => Interlocked.Read(ref counter.Count);

        public void Create() => table.CreateIfNotExists();

        public void Delete() => table.Delete();

        /// <summary>
        /// Seeds <paramref name="count"/> free rows (set-up, not measured as the reference design's work): entity-group
        /// transactions of 100 inserts. Rows are spread over mailboxes of <paramref name="perMailbox"/> aliases.
        /// </summary>
        public void Seed(int count, int firstNumber, int perMailbox, Func<int, string> mailboxName)
        {
            var batch = new List<TableTransactionAction>(100);
            for (var i = 0; i < count; i++)
            {
                var n = firstNumber + i;
                batch.Add(new TableTransactionAction(TableTransactionActionType.Add, NewRow(n, NewAddress(), mailboxName(n / perMailbox))));
                if (batch.Count == 100)
                {
                    table.SubmitTransaction(batch);
                    batch.Clear();
                }
            }
            if (batch.Count > 0)
            {
                table.SubmitTransaction(batch);
            }
        }

        /// <summary>A new free row, as the reference design records an alias it added to a mailbox.</summary>
        public static TableEntity NewRow(int number, string address, string mailbox) => new TableEntity(Partition, number.ToString("D7", CultureInfo.InvariantCulture))
        {
            ["aws_mail"] = address,
            ["in_use"] = false,
            ["user_mail"] = "",
            ["root_mailbox"] = mailbox,
            ["aws_account_id"] = "",
        };

        /// <summary>Inserts one row (one request): the reference design's write per provisioned alias.</summary>
        public void Insert(TableEntity row) => table.AddEntity(row);

        /// <summary>
        /// The reference design's hand-out: the first row with in_use eq false (a query for one row; the SDK follows
        /// continuation tokens past empty pages), then a merge of in_use and user_mail into it without an ETag condition.
        /// Two round trips. Returns null when no row is free.
        /// </summary>
        public Handed? HandOut(string requester)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and in_use eq {false}");
            var row = table.Query<TableEntity>(filter, maxPerPage: 1).FirstOrDefault();
            if (row == null)
            {
                return null;
            }
            var update = new TableEntity(Partition, row.RowKey)
            {
                ["in_use"] = true,
                ["user_mail"] = requester,
            };
            table.UpdateEntity(update, ETag.All, TableUpdateMode.Merge);
            return new Handed(row.RowKey, row.GetString("aws_mail"));
        }

        /// <summary>Records the AWS account of a row (a merge without ETag, as the reference design does).</summary>
        public void Register(string rowKey, string accountId)
            => table.UpdateEntity(new TableEntity(Partition, rowKey) { ["aws_account_id"] = accountId }, ETag.All, TableUpdateMode.Merge);

        /// <summary>Every row whose <paramref name="column"/> equals <paramref name="value"/>: a filter on a non-key column, all pages.</summary>
        public List<TableEntity> FindBy(string column, string value)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}") + " and " + column + " eq " + TableClient.CreateQueryFilter($"{value}");
            return table.Query<TableEntity>(filter).ToList();
        }

        /// <summary>The rows in use: address to user_mail (who the table says has it). For checking a race afterwards.</summary>
        public Dictionary<string, string> InUse()
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and in_use eq {true}")))
            {
                map[row.GetString("aws_mail")] = row.GetString("user_mail") ?? "";
            }
            return map;
        }

        /// <summary>Reads every row of the partition page by page, keeping none; returns how many there were.</summary>
        public long ReadAll(Action<int>? onRow = null)
        {
            long n = 0;
            foreach (var row in table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}")))
            {
                n++;
                onRow?.Invoke((int)n);
            }
            return n;
        }

        /// <summary>An address as the reference design makes them: aws-&lt;random&gt;@domain.</summary>
        public static string NewAddress() => "aws-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant() + "@" + PsEngine.Domain;

        internal sealed record Handed(string RowKey, string Address);

        /// <summary>Counts every HTTP request the table client sends, retries included.</summary>
        private sealed class RequestCounter : HttpPipelineSynchronousPolicy
        {
            public long Count;

            public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref Count);
        }
    }
}
