using namespace System.Net

# DELETE /api/aliases/{address}  or  DELETE /api/aliases?accountId=<12 digits>   (optionally &pool=<pool>)
# Retires the alias: the AWS account was closed. The address stays on its mailbox, so mail still arrives, and it is
# never handed out again. With ?release=true an alias that was never registered goes back to Available instead
# (e.g. when AWS CreateAccount failed).
# 200 with the alias; 404 RootMail.AliasNotFound; 400 for a malformed value; 409 when it cannot be released.
param($Request, $TriggerMetadata)

$ErrorActionPreference = 'Stop'
try {
    Initialize-RootMailConnection
    $address = Get-RootMailRequestValue $Request address
    $accountId = Get-RootMailRequestValue $Request accountId

    if (@($address, $accountId | Where-Object { $_ }).Count -ne 1) {
        $response = New-RootMailHttpBadRequest 'Name the alias with exactly one of: the address (in the path or ?address=) or ?accountId=.'
    }
    else {
        # No one is there to answer a confirmation prompt.
        $remove = @{ Pool = Get-RootMailPool $Request; PassThru = $true; Confirm = $false }
        if ($address) { $remove['Address'] = $address } else { $remove['AccountId'] = $accountId }
        if ((Get-RootMailRequestValue $Request release) -eq 'true') { $remove['Release'] = $true }

        $alias = Remove-AwsRootAlias @remove
        $response = New-RootMailHttpResponse 200 ($alias | ConvertTo-RootMailHttpAlias)
    }
}
catch {
    $response = ConvertTo-RootMailHttpError $_
}

Push-OutputBinding -Name Response -Value ([HttpResponseContext]$response)
