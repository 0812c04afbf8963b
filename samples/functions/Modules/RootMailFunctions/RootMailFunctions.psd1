@{
    RootModule        = 'RootMailFunctions.psm1'
    ModuleVersion     = '0.1.0'
    GUID              = '5d0c1f7e-3b8a-4f0e-9a51-2c6f4e8d7b13'
    Author            = 'RootMail'
    Description       = 'Helpers of the RootMail Azure Functions sample: registry connection from app settings, request values, alias bodies, RootMail errors as HTTP status codes.'
    PowerShellVersion = '7.2'
    RequiredModules   = @()
    FunctionsToExport = @('Initialize-RootMailConnection', 'Get-RootMailRequestValue', 'Get-RootMailPool', 'ConvertTo-RootMailHttpAlias',
                          'New-RootMailHttpResponse', 'Get-RootMailHttpStatus', 'ConvertTo-RootMailHttpError', 'New-RootMailHttpBadRequest')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
