using System.Management.Automation;
using RootMail.Operations;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>Finds aliases by address, AWS account, requester, status or mailbox; without a filter, lists the pool, streaming.</summary>
    [Cmdlet(VerbsCommon.Get, "AwsRootAlias")]
    [OutputType(typeof(AwsRootAlias))]
    public sealed class GetAwsRootAliasCommand : RootMailCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(AddressCompleter))]
        public string? Address { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string? AccountId { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string? RequestedBy { get; set; }

        /// <summary>Reserved, Available, Assigned, Registered or Retired. A string, so that PowerShell can inspect the cmdlet without loading RootMail.Core.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(StatusCompleter))]
        public string? Status { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(MailboxCompleter))]
        public string? Mailbox { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PoolCompleter))]
        public string Pool { get; set; } = Limits.DefaultPool;

        protected override void ProcessRecord()
        {
            var query = new AliasQuery
            {
                Address = Address,
                AccountId = AccountId,
                RequestedBy = RequestedBy,
                Status = Status is null ? (AliasStatus?)null : Validate.Status(Status),
                Mailbox = Mailbox,
            };
            WriteEach(() => new AliasOperations(Session, OperationHost, () => Exchange).Get(Pool, query));
        }
    }
}
