public enum CartaWebModule {}
