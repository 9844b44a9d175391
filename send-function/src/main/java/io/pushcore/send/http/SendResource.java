package io.pushcore.send.http;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.pushcore.send.Bucket;
import io.pushcore.send.Buckets;
import io.pushcore.send.Contexts;
import io.pushcore.send.MessageDispatcher;
import io.pushcore.send.PushContext;
import io.pushcore.send.ReceiverInput;
import io.pushcore.send.quota.QuotaUseCase;

/** Sends: bulk to a context, and the one-shot data, silent and raw sends that create their context implicitly. */
@Path("/v1/bucket/{bucketId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SendResource {

    private final Buckets buckets;
    private final Contexts contexts;
    private final MessageDispatcher dispatcher;
    private final Caller caller;
    private final Quotas quotas;

    SendResource(Buckets buckets, Contexts contexts, MessageDispatcher dispatcher, Caller caller, Quotas quotas) {
        this.buckets = buckets;
        this.contexts = contexts;
        this.dispatcher = dispatcher;
        this.caller = caller;
        this.quotas = quotas;
    }

    @POST
    @Path("context/{contextId}/send")
    public SendManyResponse sendToContext(@PathParam("bucketId") String bucketId,
            @PathParam("contextId") String contextId, @NotNull @Valid SendManyRequest request) {
        long started = System.nanoTime();
        quotas.charge(QuotaUseCase.SEND_REQUESTS, 1, "request");
        quotas.charge(QuotaUseCase.SEND_RECEIVERS, request.receivers().size(), "receivers");
        Bucket bucket = buckets.find(caller.tenant(), bucketId);
        PushContext context = contexts.find(bucket, contextId);
        List<ReceiverInput> receivers = new ArrayList<>(request.receivers().size());
        for (int i = 0; i < request.receivers().size(); i++) {
            receivers.add(request.receivers().get(i).toInput("receivers[" + i + "]"));
        }
        return new SendManyResponse(
                dispatcher.dispatch(bucket, context, receivers, started).stream().map(MessageResponse::of).toList());
    }

    @POST
    @Path("send")
    public MessageResponse send(@PathParam("bucketId") String bucketId, @NotNull @Valid SendDataRequest request) {
        long started = System.nanoTime();
        chargeOneShot();
        Bucket bucket = buckets.find(caller.tenant(), bucketId);
        DataContextRequest metadata = request.metadata();
        PushContext context = contexts.create(bucket, metadata.toContent(), metadata.ttl(), metadata.expiresAt(),
                "metadata.");
        return sendOne(bucket, context, request.receiver(), started);
    }

    @POST
    @Path("send/silent")
    public MessageResponse sendSilent(@PathParam("bucketId") String bucketId,
            @NotNull @Valid SendSilentRequest request) {
        long started = System.nanoTime();
        chargeOneShot();
        Bucket bucket = buckets.find(caller.tenant(), bucketId);
        SilentContextRequest metadata = request.metadata();
        PushContext context = contexts.create(bucket, metadata.toContent(), metadata.ttl(), metadata.expiresAt(),
                "metadata.");
        return sendOne(bucket, context, request.receiver(), started);
    }

    @POST
    @Path("send/raw")
    public MessageResponse sendRaw(@PathParam("bucketId") String bucketId, @NotNull @Valid SendRawRequest request) {
        long started = System.nanoTime();
        chargeOneShot();
        Bucket bucket = buckets.find(caller.tenant(), bucketId);
        RawContextRequest metadata = request.metadata();
        PushContext context = contexts.create(bucket, metadata.toContent("metadata."), metadata.ttl("metadata."),
                metadata.expiresAt("metadata."), "metadata.");
        return sendOne(bucket, context, request.receiver(), started);
    }

    private void chargeOneShot() {
        quotas.charge(QuotaUseCase.SEND_REQUESTS, 1, "request");
        quotas.charge(QuotaUseCase.SEND_RECEIVERS, 1, "receiver");
    }

    /** {@code started}: the request's arrival; the context's images were fetched within its time budget. */
    private MessageResponse sendOne(Bucket bucket, PushContext context, ReceiverRequest receiver, long started) {
        return MessageResponse.of(dispatcher.dispatch(bucket, context, List.of(receiver.toInput("receiver")), started)
                .get(0));
    }
}
