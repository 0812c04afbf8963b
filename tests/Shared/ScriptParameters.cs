using System;
using System.Collections.Generic;
using System.Management.Automation.Language;

namespace RootMail.Testing
{
    /// <summary>The names a script's param() block declares, so that hosts pass only the parameters a script takes.</summary>
    public static class ScriptParameters
    {
        public static HashSet<string> Declared(ScriptBlockAst ast)
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (ast.ParamBlock != null)
                foreach (var p in ast.ParamBlock.Parameters) names.Add(p.Name.VariablePath.UserPath);
            return names;
        }
    }
}
