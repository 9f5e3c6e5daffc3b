using Connector.Invoicing.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Connector.Sync.WriteBack;

internal static class WriteBackServiceCollectionExtensions
{
    /// <summary>
    /// Writing billing back to the org: the outbox, the facts billing's postings queue in it (the pipeline's
    /// <see cref="IPostingJournal"/>), the payloads the profile shapes, and the step that drains the outbox.
    /// </summary>
    public static IServiceCollection AddWriteBack(this IServiceCollection services)
    {
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<FactsProjector>();
        services.AddSingleton<WriteBackPayloads>();
        services.Replace(ServiceDescriptor.Singleton<IPostingJournal, SyncPostingJournal>());
        services.AddSingleton<OutboxDelivery>();
        services.AddSingleton<RecordWriter>();
        services.AddSingleton<DocumentPublisher>();
        services.AddSingleton<WriteBackStep>();
        return services;
    }
}
