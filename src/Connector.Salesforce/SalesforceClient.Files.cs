using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Salesforce.Api;

namespace Connector.Salesforce;

internal sealed partial class SalesforceClient
{
    /// <summary>Uploads one ContentVersion as multipart (for files too large for a call of base64 content) and returns its Id.</summary>
    public async Task<string> UploadFileAsync(FileUpload upload, CancellationToken cancellationToken)
    {
        var entity = upload.Entity();
        var result = await SendForJsonAsync(HttpMethod.Post, $"{DataPath}/sobjects/ContentVersion", () =>
        {
            var multipart = new MultipartFormDataContent("connector-" + upload.ContentKey[..Math.Min(16, upload.ContentKey.Length)]);
            var json = new StringContent(entity.ToJsonString(), Encoding.UTF8, "application/json");
            multipart.Add(json, "entity_content");
            var file = new ByteArrayContent(upload.Content);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            multipart.Add(file, "VersionData", upload.FileName);
            return multipart;
        }, idempotent: false, cancellationToken);
        var saved = ParseSaveResult(result);
        return saved.Success && saved.Id is { } id ? id : throw new SalesforceApiException(HttpStatusCode.BadRequest, (saved.Errors.Count > 0 ? saved.Errors[0].StatusCode : null) ?? "UPLOAD_FAILED", saved.ToString());
    }

    /// <summary>
    /// Uploads files as ContentVersions through sObject Collections, up to <see cref="SalesforceOptions.FilesPerCall"/>
    /// (200) a call, one API call each, and allOrNone false: results come back in input order, a failed file does not
    /// stop the others. A timed-out call is not replayed (it may have created files); callers look files up by content
    /// key before trying again.
    /// </summary>
    public async Task<IReadOnlyList<SaveResult>> UploadFilesAsync(IReadOnlyList<FileUpload> uploads, CancellationToken cancellationToken)
    {
        var results = new SaveResult?[uploads.Count];
        var indexed = uploads.Select((upload, index) => (Upload: upload, Index: index)).ToList();

        // A file too large for a call of base64 content goes alone, as a multipart upload (no base64 inflation).
        foreach (var (upload, index) in indexed.Where(u => Base64Size(u.Upload) > options.Value.MaxFileCallBytes))
        {
            results[index] = new SaveResult(await UploadFileAsync(upload, cancellationToken), true, true, []);
        }

        foreach (var batch in UploadBatches([.. indexed.Where(u => results[u.Index] is null)]))
        {
            var body = CollectionsCreateBody(batch);
            var response = await SendForJsonAsync(HttpMethod.Post, $"{DataPath}/composite/sobjects", () =>
                {
                    var content = new ReadOnlyMemoryContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    return content;
                },
                idempotent: false, cancellationToken);
            var answers = CollectionsResults(response, batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                results[batch[i].Index] = answers[i];
            }
        }

        return [.. results.Select(r => r!)];
    }

    /// <summary>
    /// A collections create of these files as UTF-8 JSON, each file's bytes written straight into it as base64: the
    /// request is held once (about 27 MB for 200 files of 100 KB), not as base64 strings, a JSON string and its bytes.
    /// </summary>
    private static ReadOnlyMemory<byte> CollectionsCreateBody(IReadOnlyList<(FileUpload Upload, int Index)> batch)
    {
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(int.MaxValue, batch.Sum(b => Base64Size(b.Upload) + 1_024) + 64));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("allOrNone", false);
            writer.WriteStartArray("records");
            foreach (var (upload, _) in batch)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("attributes");
                writer.WriteString("type", "ContentVersion");
                writer.WriteEndObject();
                foreach (var (name, value) in upload.Entity())
                {
                    writer.WritePropertyName(name);
                    if (value is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        value.WriteTo(writer);
                    }
                }

                writer.WriteBase64String("VersionData", upload.Content);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static long Base64Size(FileUpload upload) => (upload.Content.LongLength + 2) / 3 * 4;

    /// <summary>
    /// The files already uploaded under these content keys (asked before retrying uploads that may have landed, and for
    /// the document a new version belongs to).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, UploadedFile>> FindUploadedFilesAsync(string contentKeyField, IReadOnlyList<string> contentKeys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, UploadedFile>(StringComparer.Ordinal);
        foreach (var chunk in contentKeys.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var field = Soql.Name(contentKeyField);
            var rows = await QueryAsync($"SELECT Id, ContentDocumentId, {field} FROM ContentVersion WHERE {field} IN ({string.Join(", ", chunk.Select(Soql.Literal))})", cancellationToken);
            foreach (var row in rows)
            {
                Read("a ContentVersion query", () =>
                {
                    if (row[field]?.GetValue<string>() is { } key && row["Id"]?.GetValue<string>() is { } id)
                    {
                        found[key] = new UploadedFile(id, row["ContentDocumentId"]?.GetValue<string>() ?? throw Malformed("a ContentVersion without ContentDocumentId"));
                    }

                    return 0;
                });
            }
        }

        return found;
    }

    /// <summary>
    /// The latest version of the file whose content key starts with each prefix (an invoice's files are keyed
    /// <c>{invoice}:{hash}</c>): the document a new rendering becomes a version of.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, UploadedFile>> FindLatestFilesAsync(string contentKeyField, IReadOnlyList<string> keyPrefixes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, UploadedFile>(StringComparer.Ordinal);
        var field = Soql.Name(contentKeyField);
        foreach (var chunk in keyPrefixes.Distinct(StringComparer.Ordinal).Chunk(50))
        {
            var rows = await QueryAsync($"SELECT Id, ContentDocumentId, {field} FROM ContentVersion WHERE IsLatest = true AND ({string.Join(" OR ", chunk.Select(p => $"{field} LIKE {Soql.StartsWith(p)}"))})", cancellationToken);
            foreach (var row in rows)
            {
                Read("a ContentVersion query", () =>
                {
                    var key = row[field]?.GetValue<string>() ?? "";
                    if (chunk.FirstOrDefault(p => key.StartsWith(p, StringComparison.Ordinal)) is { } prefix && row["Id"]?.GetValue<string>() is { } id)
                    {
                        found[prefix] = new UploadedFile(id, row["ContentDocumentId"]?.GetValue<string>() ?? throw Malformed("a ContentVersion without ContentDocumentId"));
                    }

                    return 0;
                });
            }
        }

        return found;
    }

    private IEnumerable<List<(FileUpload Upload, int Index)>> UploadBatches(IReadOnlyList<(FileUpload Upload, int Index)> uploads)
    {
        var batch = new List<(FileUpload Upload, int Index)>();
        long bytes = 0;
        foreach (var upload in uploads)
        {
            var size = Base64Size(upload.Upload);
            if (batch.Count > 0 && (batch.Count == options.Value.FilesPerCall || bytes + size > options.Value.MaxFileCallBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(upload);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static SaveResult CompositeResult(JsonNode? node)
    {
        var status = node?["httpStatusCode"]?.GetValue<int>() ?? throw Malformed("a composite subresponse without httpStatusCode");
        var body = node["body"];
        if (status is >= 200 and < 300)
        {
            return ParseSaveResult(body);
        }

        var errors = body is JsonArray list
            ? list.OfType<JsonObject>().Select(e => new SalesforceError(e["errorCode"]?.GetValue<string>() ?? "HTTP_" + status, e["message"]?.GetValue<string>() ?? "", [])).ToList()
            : [new SalesforceError("HTTP_" + status, "the subrequest failed", [])];
        return new SaveResult(null, false, null, errors);
    }
}
