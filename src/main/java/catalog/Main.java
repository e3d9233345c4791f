package catalog;

/** Placeholder entry point until the API lands. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("products-api: not implemented yet");
    }
}
