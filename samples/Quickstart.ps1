<#
.SYNOPSIS
    RootMail in five minutes: a pool, two shared mailboxes, provisioning, a hand-out, a registration,
    lookups and a retirement.
.DESCRIPTION
    Run it through the sandbox (dotnet run --project sandbox/RootMail.Sandbox), which starts Azurite and the
    Exchange Online simulator, or in your own session after Connect-ExchangeOnline, against a test table.
    Every step is piped to Out-Default so that each result shows as its own table, as it would at a prompt.
.PARAMETER ConnectionString
    The registry's storage connection string. The sandbox passes Azurite's.
.PARAMETER Domain
    An accepted domain of the tenant; the aliases are made in it.
.PARAMETER TableName
    The registry table (default: a new one for each run).
#>
param(
    [Parameter(Mandatory)] [string] $ConnectionString,
    [string] $Domain = 'contoso.com',
    [string] $TableName = ('Quickstart' + [guid]::NewGuid().ToString('N').Substring(0, 8))
)

$ErrorActionPreference = 'Stop'

"== Connect to the registry (no key is ever shown)"
Connect-AwsRootRegistry -ConnectionString $ConnectionString -TableName $TableName | Out-Default

"== A pool: aliases in $Domain, forwarded to the AWS admins' mailbox"
Set-AwsRootPool -Domain $Domain -ForwardingAddress "aws-admins@$Domain" -MailboxCapacity 300 -PassThru | Out-Default

"== Two shared mailboxes (no licence), hidden from address lists, forwarding to the admins"
New-AwsRootMailbox | Out-Null
New-AwsRootMailbox -Capacity 100 | Out-Null
Get-AwsRootMailbox | Out-Default

"== Provision 250 aliases in advance: one Set-Mailbox call"
$provisioned = New-AwsRootAlias -Count 250
"{0} aliases are Available, for example {1}" -f $provisioned.Count, $provisioned[0].Address

"== Hand out an alias for a new AWS account: registry only, no Exchange call"
$alias = New-AwsRootAlias -RequestedBy "alice@$Domain" -AccountName 'Payments Prod'
$alias | Out-Default

"== AWS created the account: bind the alias to its ID (a string: leading zeros are real)"
$alias | Register-AwsAccountAlias -AccountId '012345678901' | Out-Default

"== Find it again by account, by requester, and the mailbox that receives its mail"
Get-AwsRootAlias -AccountId '012345678901' | Out-Default
Get-AwsRootAlias -RequestedBy "alice@$Domain" | Out-Default
Get-AwsRootMailbox -AccountId '012345678901' | Out-Default

"== Bad input gets a clear RootMail error and writes nothing"
try { Register-AwsAccountAlias -Address $alias.Address -AccountId 12345678901 -ErrorAction Stop }
catch { "{0}: {1}" -f $_.FullyQualifiedErrorId.Split(',')[0], $_.Exception.Message }

"== The account is closed: retire its alias. The address stays, so mail still arrives; it is never handed out again"
Remove-AwsRootAlias -AccountId '012345678901' -Confirm:$false -PassThru | Out-Default

"== The pool now"
Get-AwsRootMailbox | Out-Default
Get-AwsRootAlias -Status Retired | Out-Default

"== Registry and Exchange agree: Sync-AwsRootRegistry finds nothing to repair"
$drift = @(Sync-AwsRootRegistry)
"{0} differences between the registry and Exchange" -f $drift.Count
