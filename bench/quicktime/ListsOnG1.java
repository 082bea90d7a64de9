import java.util.ArrayList;
import java.util.List;

/**
 * Plain Java, no picklejar: builds a list of a million Doubles and drops it, again and again for 4
 * seconds, either as one ArrayList (whose backing array is "humongous" on G1 with a 4 GiB heap) or
 * as 16 lists of 62 500 (argument "one" or "small"; one JVM for each, since the first leaves its
 * garbage to the second). It shows the cost the collector puts on loading a long list, whoever
 * loads it (bench/README.md, "The collector"). Run with the source launcher:
 *
 *   java -Xms4g -Xmx4g bench/quicktime/ListsOnG1.java one            (G1, the default)
 *   java -Xms4g -Xmx4g bench/quicktime/ListsOnG1.java small
 *   java -Xms4g -Xmx4g -XX:+UseParallelGC bench/quicktime/ListsOnG1.java one
 *   java -Xms4g -Xmx4g -Xlog:gc bench/quicktime/ListsOnG1.java one   (what survives each pause)
 */
public class ListsOnG1 {
    static Object sink;

    public static void main(String[] args) {
        boolean oneList = args.length > 0 && args[0].equals("one");
        long start = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - start < 4_000_000_000L) {
            sink = oneList ? oneList() : smallLists();
            n++;
        }
        System.out.printf("%s: %.1f ms per million Doubles%n",
                oneList ? "one ArrayList of 1M" : "16 ArrayLists of 62 500", (System.nanoTime() - start) / 1e6 / n);
    }

    private static List<Object> oneList() {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            list.add(i * 1.5);
        }
        return list;
    }

    private static List<Object> smallLists() {
        List<Object> lists = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < 62_500; i++) {
                list.add(i * 1.5);
            }
            lists.add(list);
        }
        return lists;
    }
}
