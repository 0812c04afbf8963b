using System;
using System.Management.Automation;
using RootMail.Operations;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>
    /// Reads the mail that arrived for a root alias through Microsoft Graph, newest first, with the one-time or
    /// verification code found in each message; -Wait waits for a new one.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AwsRootMail", DefaultParameterSetName = AddressSet)]
    [OutputType(typeof(AwsRootMessage))]
    public sealed class GetAwsRootMailCommand : RootMailCmdlet, IDisposable
    {
        const string AddressSet = "ByAddress";
        const string AccountSet = "ByAccountId";

        MailOperations? _mail;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = AddressSet, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string Address { get; set; } = "";

        [Parameter(Mandatory = true, ParameterSetName = AccountSet)]
        [AllowEmptyString]
        public string AccountId { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PoolCompleter))]
        public string Pool { get; set; } = Limits.DefaultPool;

        [Parameter]
        public DateTime Since { get; set; }

        [Parameter]
        public int First { get; set; }

        [Parameter]
        public SwitchParameter Wait { get; set; }

        [Parameter]
        public int Timeout { get; set; }

        protected override void ProcessRecord()
        {
            var request = new MailRequest
            {
                Pool = Pool,
                Address = ParameterSetName == AddressSet ? Address : null,
                AccountId = ParameterSetName == AccountSet ? AccountId : null,
                Since = IsBound(nameof(Since)) ? new DateTimeOffset(Since.ToUniversalTime(), TimeSpan.Zero) : (DateTimeOffset?)null,
                First = IsBound(nameof(First)) ? First : (int?)null,
                Wait = Wait,
                Timeout = IsBound(nameof(Timeout)) ? Timeout : (int?)null,
            };
            WriteEach(() =>
            {
                MailOperations.Check(request); // bad input fails before anything is read or loaded
                _mail ??= new MailOperations(Session, OperationHost, MailReaderFactory.Create) { ShowPrompt = WriteWarning };
                return _mail.Get(request);
            });
        }

        protected override void EndProcessing()
        {
            if (_mail != null) WriteVerbose($"RootMail: {_mail.MailRequests} Graph requests.");
            base.EndProcessing();
        }

        public void Dispose() => _mail?.Dispose();
    }
}
