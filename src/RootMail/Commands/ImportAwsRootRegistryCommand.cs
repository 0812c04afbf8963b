using System.Management.Automation;
using RootMail.Operations;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>Brings the rows of a table in the public reference design's layout into a pool, idempotently.</summary>
    [Cmdlet(VerbsData.Import, "AwsRootRegistry", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AwsRootImportResult))]
    public sealed class ImportAwsRootRegistryCommand : RootMailCmdlet
    {
        /// <summary>The reference design's table (its rows have PartitionKey 'root').</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [AllowEmptyString]
        public string SourceTableName { get; set; } = "";

        /// <summary>The storage account of the source table when it is not the registry's; its key never reaches any stream.</summary>
        [Parameter]
        [AllowEmptyString]
        public string? SourceConnectionString { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(PoolCompleter))]
        public string Pool { get; set; } = Limits.DefaultPool;

        protected override void ProcessRecord()
            => WriteEach(() => new ImportOperations(Session, OperationHost, () => Exchange).Import(Pool, SourceTableName, SourceConnectionString));
    }
}
