package dev.sprox.hls;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Records every URI offered and answers with a recognisable proxy URL, or with the written text (echo). */
final class RecordingMapper implements UriMapper {

    final List<PlaylistUri> offered = new ArrayList<>();
    private final boolean echo;

    private RecordingMapper(boolean echo) {
        this.echo = echo;
    }

    static RecordingMapper proxying() {
        return new RecordingMapper(false);
    }

    static RecordingMapper echoing() {
        return new RecordingMapper(true);
    }

    @Override
    public String map(PlaylistUri uri) {
        offered.add(uri);
        return echo ? uri.written() : "https://proxy.test/" + uri.kind() + "?u=" + uri.absolute();
    }

    Map<ResourceKind, Integer> countsByKind() {
        Map<ResourceKind, Integer> counts = new EnumMap<>(ResourceKind.class);
        offered.forEach(uri -> counts.merge(uri.kind(), 1, Integer::sum));
        return counts;
    }

    List<String> absolutes() {
        return offered.stream().map(uri -> uri.kind() + " " + uri.absolute()).toList();
    }
}
