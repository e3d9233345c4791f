package catalog.http;

/** Answers one routed request. Throws {@link Problem} for answers that are errors. */
@FunctionalInterface
public interface Handler {
    Reply handle(Call call) throws Exception;
}
