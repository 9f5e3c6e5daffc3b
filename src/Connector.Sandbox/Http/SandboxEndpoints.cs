using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Connector.Sandbox.Http;

/// <summary>
/// The org's REST resources as ASP.NET Core routes: the framework routes, binds route values and parses forms and
/// multipart bodies; <see cref="SandboxOrg"/> answers. Every data API route passes the org's gate (session, daily
/// allocation, injected faults) once.
/// </summary>
internal static class SandboxEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SandboxOrg org)
    {
        app.MapPost("/services/oauth2/token", async (HttpContext context) =>
        {
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
            var fields = form?.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal) ?? [];
            await WriteAsync(context, org.TokenCall(fields));
        });

        var data = app.MapGroup("/services/data/{version}");
        data.MapGet("/limits", (HttpContext c) => Call(c, org, _ => org.Limits()));
        data.MapGet("/query", (HttpContext c) => Call(c, org, _ => org.Query(Query(c, "q"), includeDeleted: false)));
        data.MapGet("/query/{cursor}", (HttpContext c, string cursor) => Call(c, org, _ => org.QueryMore(cursor)));
        data.MapGet("/queryAll", (HttpContext c) => Call(c, org, _ => org.Query(Query(c, "q"), includeDeleted: true)));
        data.MapGet("/queryAll/{cursor}", (HttpContext c, string cursor) => Call(c, org, _ => org.QueryMore(cursor)));
        data.MapGet("/sobjects/{sObject}/deleted", (HttpContext c, string sObject) =>
            Call(c, org, _ => org.GetDeleted(sObject, Query(c, "start"), Query(c, "end"))));
        data.MapGet("/sobjects/{sObject}/describe", (HttpContext c, string sObject) =>
            Call(c, org, _ => org.Describe(sObject, c.Request.Headers.IfModifiedSince.FirstOrDefault())));
        data.MapPost("/sobjects/ContentVersion", (HttpContext c) => UploadAsync(c, org));
        data.MapPatch("/composite/sobjects/{sObject}/{externalIdField}", (HttpContext c, string sObject, string externalIdField) =>
            Call(c, org, body => org.Upsert(sObject, externalIdField, body)));
        data.MapPatch("/composite/sobjects", (HttpContext c) => Call(c, org, org.Update));
        data.MapPost("/composite/sobjects", (HttpContext c) => Call(c, org, org.Create));
        data.MapPost("/composite", (HttpContext c) => Call(c, org, org.Composite));
        data.MapPost("/jobs/query", (HttpContext c) => Call(c, org, org.CreateQueryJob));
        data.MapGet("/jobs/query/{job}", (HttpContext c, string job) => Call(c, org, _ => org.QueryJob(job)));
        data.MapGet("/jobs/query/{job}/results", (HttpContext c, string job) =>
            Call(c, org, _ => org.QueryJobResults(job, Query(c, "maxRecords"), Query(c, "locator"))));
        data.MapPost("/jobs/ingest", (HttpContext c) => Call(c, org, org.CreateIngestJob));
        data.MapPut("/jobs/ingest/{job}/batches", (HttpContext c, string job) => Call(c, org, body => org.UploadIngestData(job, body)));
        data.MapPatch("/jobs/ingest/{job}", (HttpContext c, string job) => Call(c, org, body => org.CloseIngestJob(job, body)));
        data.MapGet("/jobs/ingest/{job}", (HttpContext c, string job) => Call(c, org, _ => org.IngestJobInfo(job)));
        data.MapGet("/jobs/ingest/{job}/{results}", (HttpContext c, string job, string results) => Call(c, org, _ => org.IngestResults(job, results)));

        app.MapFallback((HttpContext c) => WriteAsync(c, SandboxResponse.Error(404, "NOT_FOUND",
            $"The requested resource does not exist: {c.Request.Method} {c.Request.Path}")));
    }

    private static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>A data API call: the slow-org delay, the gate and the resource, then the late answer of a hanging call.</summary>
    private static async Task Call(HttpContext context, SandboxOrg org, Func<byte[], SandboxResponse> resource)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        await AnswerAsync(context, org, () => resource(body));
    }

    /// <summary>A ContentVersion insert: JSON with base64 VersionData, or multipart with entity_content and VersionData parts.</summary>
    private static async Task UploadAsync(HttpContext context, SandboxOrg org)
    {
        if (!context.Request.HasFormContentType)
        {
            await Call(context, org, org.UploadFileJson);
            return;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            await WriteAsync(context, SandboxResponse.Error(400, "INVALID_MULTIPART_REQUEST", ex.Message));
            return;
        }

        var entity = form.TryGetValue("entity_content", out var field) ? field.ToString() : await TextOfAsync(form.Files["entity_content"], context.RequestAborted);
        var content = form.Files["VersionData"] is { } file ? await BytesOfAsync(file, context.RequestAborted)
            : form.TryGetValue("VersionData", out var inline) ? Encoding.UTF8.GetBytes(inline.ToString()) : null;
        await AnswerAsync(context, org, () => org.UploadFileParts(entity, content));
    }

    private static async Task AnswerAsync(HttpContext context, SandboxOrg org, Func<SandboxResponse> resource)
    {
        var faults = org.Faults;
        if (faults.ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(faults.ResponseDelay, context.RequestAborted);
        }

        var answer = org.DataCall(context.Request.Headers.Authorization.FirstOrDefault(), resource, Origin(context));
        if (faults.TakeHang(new SandboxRequest(context.Request.Method, context.Request.Path)))
        {
            await Task.Delay(faults.HangFor, context.RequestAborted); // the org did the work; its answer comes too late
        }

        await WriteAsync(context, answer);
    }

    /// <summary>
    /// The changeOrigin of what a call changes: <c>com/salesforce/api/rest/&lt;version&gt;</c> (Bulk API 2.0 jobs:
    /// <c>bulkapi</c>), with <c>;client=&lt;id&gt;</c> when the call named one in Sforce-Call-Options.
    /// </summary>
    private static string Origin(HttpContext context)
    {
        var version = context.Request.RouteValues.TryGetValue("version", out var v) ? v?.ToString()?.TrimStart('v') : null;
        var api = context.Request.Path.Value?.Contains("/jobs/ingest", StringComparison.Ordinal) == true ? "bulkapi" : "rest";
        var client = context.Request.Headers["Sforce-Call-Options"].ToString().Split(',', ';')
            .Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("client=", StringComparison.OrdinalIgnoreCase))?[7..];
        return $"com/salesforce/api/{api}/{version ?? "62.0"}" + (string.IsNullOrEmpty(client) ? "" : ";client=" + client);
    }

    private static async Task<string?> TextOfAsync(IFormFile? file, CancellationToken cancellationToken) =>
        file is null ? null : Encoding.UTF8.GetString(await BytesOfAsync(file, cancellationToken));

    private static async Task<byte[]> BytesOfAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static async Task WriteAsync(HttpContext context, SandboxResponse answer)
    {
        context.Response.StatusCode = answer.StatusCode;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (!answer.Headers.ContainsKey("Content-Type"))
        {
            context.Response.ContentType = "application/json;charset=UTF-8";
        }

        if (answer.Body.Length > 0)
        {
            await context.Response.WriteAsync(answer.Body, Encoding.UTF8, context.RequestAborted);
        }
    }
}
