using Connector.Invoicing.Storage;
using Connector.Sync.Cycles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Connector.Sync.WriteBack;

internal static class WriteBackServiceCollectionExtensions
{
    /// <summary>
    /// Writing billing back to the org: the outbox, the facts billing's postings queue in it (the pipeline's
    /// <see cref="IPostingJournal"/>), the payloads the profile shapes, and the step that drains the outbox.
    /// </summary>
    public static IServiceCollection AddWriteBack(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<WriteBackOptions>>(new AnnotatedOptionsValidator<WriteBackOptions>(WriteBackOptions.SectionName));
        services.AddOptions<WriteBackOptions>().BindConfiguration(WriteBackOptions.SectionName).ValidateOnStart();
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
