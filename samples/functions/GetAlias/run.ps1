using namespace System.Net

# GET /api/aliases/{address}
# GET /api/aliases?address=<address> | ?accountId=<12 digits> | ?requestedBy=<e-mail>   (optionally &pool=<pool>)
# 200 with the alias (by address or account ID) or { requestedBy, aliases: [...] } (by requester, possibly empty);
# 404 RootMail.AliasNotFound; 400 for a malformed value or not exactly one of the three.
param($Request, $TriggerMetadata)

$ErrorActionPreference = 'Stop'
try {
    Initialize-RootMailConnection
    $pool = Get-RootMailPool $Request
    $address = Get-RootMailRequestValue $Request address
    $accountId = Get-RootMailRequestValue $Request accountId
    $requestedBy = Get-RootMailRequestValue $Request requestedBy
    $given = @($address, $accountId, $requestedBy | Where-Object { $_ }).Count

    if ($given -ne 1) {
        $response = New-RootMailHttpBadRequest 'Name the alias with exactly one of: the address (in the path or ?address=), ?accountId= or ?requestedBy=.'
    }
    elseif ($address) {
        $response = New-RootMailHttpResponse 200 (Get-AwsRootAlias -Address $address -Pool $pool | ConvertTo-RootMailHttpAlias)
    }
    elseif ($accountId) {
        $response = New-RootMailHttpResponse 200 (Get-AwsRootAlias -AccountId $accountId -Pool $pool | ConvertTo-RootMailHttpAlias)
    }
    else {
        $aliases = @(Get-AwsRootAlias -RequestedBy $requestedBy -Pool $pool | ConvertTo-RootMailHttpAlias)
        $response = New-RootMailHttpResponse 200 ([ordered]@{ requestedBy = $requestedBy.ToLowerInvariant(); aliases = $aliases })
    }
}
catch {
    $response = ConvertTo-RootMailHttpError $_
}

Push-OutputBinding -Name Response -Value ([HttpResponseContext]$response)
